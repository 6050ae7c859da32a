using System.CommandLine;
using Grpc.Core;
using Mesh.Cli.Client;
using Mesh.Cli.Input;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary>Options every command takes, and the one place failures become exit codes:
/// 0 success, 1 server or validation error, 2 usage error.</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Server = new("--server")
    {
        Description = $"Mesh management API (default $MESH_SERVER or {MeshConnection.DefaultServer})",
        Recursive = true,
    };

    public static readonly Option<string> Token = new("--token")
    {
        Description = "bearer token for the API (default $MESH_TOKEN)",
        Recursive = true,
    };

    public static Option<string> Namespace() => new("--namespace", "-n") { Description = "namespace (default \"default\")" };

    public static MeshConnection Connect(ParseResult parse)
    {
        var server = parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("MESH_SERVER");
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("MESH_TOKEN");
        server = string.IsNullOrWhiteSpace(server) ? MeshConnection.DefaultServer : server.Trim();
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new UsageException($"--server \"{server}\" is not an http:// or https:// URL");
        }
        return new MeshConnection(server, token);
    }

    /// <summary>Runs a command body, printing failures the way kubectl does.</summary>
    public static async Task<int> Run(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException exception)
        {
            await Console.Error.WriteLineAsync(TerminalText.Of($"error: {exception.Message}"));
            return 2;
        }
        catch (RpcException exception)
        {
            var server = parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("MESH_SERVER") ?? MeshConnection.DefaultServer;
            foreach (var line in ServerErrors.Describe(exception, server))
            {
                await Console.Error.WriteLineAsync(line);
            }
            return 1;
        }
        catch (IOException exception)
        {
            await Console.Error.WriteLineAsync(TerminalText.Of($"error: {exception.Message}"));
            return 1;
        }
    }
}

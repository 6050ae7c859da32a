using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl version</c>: this client's version and, unless <c>--client</c>, the server's.</summary>
public static class VersionCommand
{
    public static string ClientVersion => typeof(VersionCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Command Create()
    {
        var clientOnly = new Option<bool>("--client") { Description = "only this client's version" };
        var command = new Command("version", "Show client and server versions") { clientOnly };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            Console.WriteLine($"client version: {ClientVersion}");
            if (parse.GetValue(clientOnly)) return 0;
            using var connection = GlobalOptions.Connect(parse);
            var server = await connection.Api.VersionAsync(new VersionRequest(), connection.Call(cancellationToken, TimeSpan.FromSeconds(10)));
            Console.WriteLine(TerminalText.Of($"server version: {server.Version} (silo {server.Silo}, store {server.Store}, {connection.Server})"));
            return 0;
        }));
        return command;
    }
}

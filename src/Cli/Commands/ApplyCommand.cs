using System.CommandLine;
using Google.Protobuf;
using Mesh.Api.V1;
using Mesh.Cli.Client;
using Mesh.Cli.Input;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl apply -f FILE|DIR|-</c>: create or update resources.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var files = FileOption();
        var ns = GlobalOptions.Namespace();
        var dryRun = new Option<bool>("--dry-run") { Description = "validate on the server and report what would change, store nothing" };
        var recursive = new Option<bool>("--recursive", "-R") { Description = "read folders recursively" };
        var command = new Command("apply", "Create or update resources from YAML or JSON files") { files, ns, dryRun, recursive };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var sources = ManifestSources.Read(parse.GetValue(files) ?? [], parse.GetValue(recursive));
            using var connection = GlobalOptions.Connect(parse);
            var failed = false;
            foreach (var (name, content) in sources)
            {
                var request = new ApplyRequest
                {
                    ManifestBytes = ByteString.CopyFrom(content),
                    Namespace = parse.GetValue(ns) ?? "",
                    DryRun = parse.GetValue(dryRun),
                };
                try
                {
                    var response = await connection.Api.ApplyAsync(request, connection.Call(cancellationToken));
                    foreach (var result in response.Results)
                    {
                        foreach (var warning in result.Warnings) await Console.Error.WriteLineAsync(TerminalText.Of($"Warning: {warning.Display()}"));
                        var suffix = request.DryRun ? " (server dry run)" : "";
                        Console.WriteLine(TerminalText.Of($"{KindArgument.Qualified(result.Kind, result.Name)} {result.Outcome}{suffix}"));
                    }
                }
                catch (Grpc.Core.RpcException exception) when (sources.Count > 1)
                {
                    // With several files, report each file's errors and go on, as kubectl does.
                    failed = true;
                    foreach (var line in ServerErrors.Describe(exception, connection.Server)) await Console.Error.WriteLineAsync($"{line} {TerminalText.Of($"(in {name})")}");
                }
            }
            return failed ? 1 : 0;
        }));
        return command;
    }

    internal static Option<string[]> FileOption() => new("--filename", "-f")
    {
        Description = "file, folder or - for standard input (may repeat)",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };
}

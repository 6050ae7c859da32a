using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl history KIND NAME</c>: the resource's last stored versions, newest first.</summary>
public static class HistoryCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("kind");
        var name = new Argument<string>("name");
        var ns = GlobalOptions.Namespace();
        var output = GetCommand.OutputOption();
        var command = new Command("history", "Show a resource's last stored versions") { kind, name, ns, output };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var resolved = KindArgument.Resolve(parse.GetValue(kind));
            using var connection = GlobalOptions.Connect(parse);
            var request = new HistoryRequest { Kind = resolved.Kind, Namespace = parse.GetValue(ns) ?? "default", Name = parse.GetValue(name)! };
            var history = await connection.Api.HistoryAsync(request, connection.Call(cancellationToken));
            var format = parse.GetValue(output) ?? "table";
            if (format != "table")
            {
                Console.Write(GetCommand.Render([.. history.Versions], format, false, false));
                return 0;
            }
            Console.Write(Table.Render(
                ["RESOURCE-VERSION", "GENERATION", "UPDATED", "LABELS"],
                history.Versions.Select(v => (IReadOnlyList<string>)[
                    v.Metadata.ResourceVersion,
                    v.Metadata.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    v.Metadata.UpdateTimestamp?.ToDateTimeOffset().ToString("u") ?? "",
                    string.Join(",", v.Metadata.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
                ])));
            return 0;
        }));
        return command;
    }
}

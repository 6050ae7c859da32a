using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesh.Api.Audit;
using Mesh.Api.V1;
using Mesh.Cli.Input;
using Mesh.Cli.Output;
using Mesh.Config.Manifests;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl audit [-n NS | -A] [--since 1h] [--user NAME]</c>: who tried to write what, newest first.</summary>
public static class AuditCommand
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Create()
    {
        var ns = GlobalOptions.Namespace();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "every namespace" };
        var since = new Option<string>("--since") { Description = "how far back: a duration like 90m or 1h30m, or a time like 2025-01-02T15:04:05Z (default 24h)" };
        var user = new Option<string>("--user") { Description = "only this user's attempts" };
        var limit = new Option<int>("--limit") { Description = "at most this many entries, the newest (default 500, at most 5000)" };
        var output = new Option<string>("--output", "-o") { Description = "table (default), wide (adds the detail and trace id), yaml or json" };
        output.AcceptOnlyFromAmong("table", "wide", "yaml", "json");
        var command = new Command("audit", "Show the audit trail: every apply and delete, allowed or not, newest first") { ns, all, since, user, limit, output };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var allNamespaces = parse.GetValue(all);
            if (allNamespaces && parse.GetValue(ns) is not null) throw new UsageException("use either --namespace or --all-namespaces, not both");
            var sinceText = parse.GetValue(since) ?? "";
            if (!AuditSince.TryParse(sinceText, DateTimeOffset.UtcNow, out _, out var sinceError)) throw new UsageException(sinceError);
            if (parse.GetValue(limit) is < 0 or > 5000) throw new UsageException("--limit is 1 to 5000");
            var request = new AuditListRequest
            {
                Namespace = allNamespaces ? "" : parse.GetValue(ns) ?? "default",
                Since = sinceText,
                User = parse.GetValue(user) ?? "",
                Limit = parse.GetValue(limit),
            };
            using var connection = GlobalOptions.Connect(parse);
            var response = await connection.Audit.ListAsync(request, connection.Call(cancellationToken));
            foreach (var note in response.Notes) await Console.Error.WriteLineAsync(TerminalText.Of($"Warning: {note}"));
            var format = parse.GetValue(output) ?? "table";
            if (response.Entries.Count == 0 && format is "table" or "wide")
            {
                await Console.Error.WriteLineAsync(allNamespaces ? "No audit entries found" : $"No audit entries found in {request.Namespace} namespace.");
                return 0;
            }
            Console.Write(Render(response, format));
            return 0;
        }));
        return command;
    }

    internal static string Render(AuditListResponse response, string format)
    {
        if (format is "json" or "yaml")
        {
            var items = new JsonArray([.. response.Entries.Select(e => JsonNode.Parse(Json.Format(e)))]);
            var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
            return format == "json" ? ManifestWriter.ToJson(list) + "\n" : ManifestWriter.ToYaml([list]);
        }
        var wide = format == "wide";
        IReadOnlyList<string> headers = wide
            ? ["TIME", "USER", "VERB", "KIND", "NAMESPACE/NAME", "OUTCOME", "VERSION", "TRACE", "DETAIL"]
            : ["TIME", "USER", "VERB", "KIND", "NAMESPACE/NAME", "OUTCOME", "VERSION"];
        return Table.Render(headers, response.Entries.Select(entry =>
        {
            IReadOnlyList<string> row =
            [
                entry.Time?.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
                entry.User,
                entry.Verb,
                entry.Kind.Length > 0 ? entry.Kind : "-",
                $"{entry.Namespace}/{entry.Name}",
                entry.DryRun ? $"{entry.Outcome} (dry run)" : entry.Outcome,
                entry.ResourceVersion.Length > 0 ? entry.ResourceVersion : "-",
            ];
            return wide ? [.. row, entry.TraceId.Length > 0 ? entry.TraceId : "-", entry.Detail] : row;
        }));
    }
}

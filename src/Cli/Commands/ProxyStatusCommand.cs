using System.CommandLine;
using System.Text;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl proxy-status [NODE]</c>: istioctl's view of every connected xDS client, per type.</summary>
public static class ProxyStatusCommand
{
    private static readonly string[] Types = ["CDS", "LDS", "EDS", "RDS"];

    public static Command Create()
    {
        var node = new Argument<string?>("node") { Description = "one proxy's node id, for its details", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("proxy-status", "Show what each connected proxy was sent and whether it accepted it") { node };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var status = await connection.Api.ProxyStatusAsync(new ProxyStatusRequest { NodeId = parse.GetValue(node) ?? "" }, connection.Call(cancellationToken));
            if (parse.GetValue(node) is not null)
            {
                Console.Write(Details(status.Proxies[0]));
                return 0;
            }
            if (status.Proxies.Count == 0)
            {
                await Console.Error.WriteLineAsync("No proxies are connected.");
                return 0;
            }
            Console.Write(Table.Render(
                ["NAME", .. Types, "SILO", "CLIENT"],
                status.Proxies.Select(p => (IReadOnlyList<string>)[p.NodeId, .. Types.Select(t => Sync(p, t)), p.Silo, p.Client])));
            return 0;
        }));
        return command;
    }

    private static string Sync(ProxyStatusEntry proxy, string type) =>
        proxy.Types_.FirstOrDefault(t => t.Type == type)?.Sync ?? "NOT SENT";

    private static string Details(ProxyStatusEntry proxy)
    {
        var text = new StringBuilder();
        text.AppendLine(TerminalText.Of($"Node:      {proxy.NodeId}"));
        text.AppendLine(TerminalText.Of($"Silo:      {proxy.Silo}"));
        text.AppendLine(TerminalText.Of($"Client:    {proxy.Client}{(proxy.Delta ? " (delta xDS)" : "")}"));
        text.AppendLine($"Connected: {proxy.ConnectedAt?.ToDateTimeOffset():u}");
        if (proxy.MetricsUrl.Length > 0) text.AppendLine(TerminalText.Of($"Metrics:   {proxy.MetricsUrl}"));
        foreach (var type in proxy.Types_.OrderBy(t => Array.IndexOf(Types, t.Type)))
        {
            text.AppendLine(TerminalText.Of($"{type.Type}: {type.Sync}  sent {type.SentVersion} (nonce {type.SentNonce}), acked {(type.AckedVersion.Length > 0 ? type.AckedVersion : "-")}, {type.Subscribed} subscribed"));
            if (type.NackError.Length > 0) text.AppendLine(TerminalText.Of($"  rejected: {type.NackError}"));
        }
        return text.ToString();
    }
}

using System.CommandLine;
using Google.Protobuf;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl endpoints HOST</c>: what the control plane resolved a service to, per port and subset.</summary>
public static class EndpointsCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "service host, e.g. reviews.bookinfo.svc.cluster.local (short names use -n)" };
        var ns = GlobalOptions.Namespace();
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("endpoints", "Show a service's endpoints per port and subset") { host, ns, output };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var endpoints = await connection.Api.GetServiceEndpointsAsync(
                new GetServiceEndpointsRequest { Host = parse.GetValue(host)!, Namespace = parse.GetValue(ns) ?? "default" },
                connection.Call(cancellationToken));
            if (parse.GetValue(output) == "json")
            {
                Console.WriteLine(JsonFormatter.Default.Format(endpoints));
                return 0;
            }
            var rows = endpoints.Ports.SelectMany(port => port.Endpoints.Select(endpoint => (IReadOnlyList<string>)
            [
                $"{port.Number}/{port.Name}",
                $"{endpoint.Address}:{endpoint.Port}",
                string.Join(",", port.Subsets.Where(s => s.Value.Endpoints.Any(e => e.Address == endpoint.Address && e.Port == endpoint.Port)).Select(s => s.Key).Order(StringComparer.Ordinal)),
                endpoint.Locality,
                endpoint.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture),
                endpoint.Workload,
            ]));
            Console.WriteLine(TerminalText.Of($"HOST {endpoints.Host} (from {string.Join(", ", endpoints.ServiceEntries)})"));
            Console.Write(Table.Render(["PORT", "ENDPOINT", "SUBSETS", "LOCALITY", "WEIGHT", "WORKLOAD"], rows));
            return 0;
        }));
        return command;
    }
}

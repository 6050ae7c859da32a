using System.CommandLine;
using Mesh.Api.V1;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl proxy-config NODE</c>: the resources a proxy was last sent, as Envoy JSON.</summary>
public static class ProxyConfigCommand
{
    public static Command Create()
    {
        var node = new Argument<string>("node") { Description = "the proxy's node id (see meshctl proxy-status)" };
        var command = new Command("proxy-config", "Dump what a proxy was sent, as JSON") { node };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var config = await connection.Api.ProxyConfigAsync(new ProxyConfigRequest { NodeId = parse.GetValue(node)! }, connection.Call(cancellationToken));
            Console.WriteLine(config.Json);
            return 0;
        }));
        return command;
    }
}

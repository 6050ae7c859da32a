using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Config.Text;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl token create</c>: a bootstrap token that entitles a sidecar to one workload identity.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var @namespace = new Option<string>("--namespace", "-n") { Description = "the workload's namespace", Required = true };
        var account = new Option<string>("--service-account") { Description = "the workload's service account", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "how long the token is valid (Go duration, default 1h)", DefaultValueFactory = _ => "1h" };
        var output = new Option<string?>("--output", "-o") { Description = "write the token to this file (mode 0600) instead of stdout" };
        var create = new Command("create", "Create a bootstrap token for a sidecar (mesh-sidecar --token-file)") { @namespace, account, ttl, output };
        create.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            if (GoDuration.Nanoseconds(parse.GetValue(ttl)!) is not { } nanos || nanos < 1e9)
            {
                Console.Error.WriteLine(TerminalText.Of($"error: --ttl: '{parse.GetValue(ttl)}' is not a Go duration of at least 1s (e.g. 10m, 1h, 24h)"));
                return 2;
            }
            using var connection = GlobalOptions.Connect(parse);
            var response = await connection.Security.CreateTokenAsync(new CreateTokenRequest
            {
                Namespace = parse.GetValue(@namespace)!,
                ServiceAccount = parse.GetValue(account)!,
                TtlSeconds = (long)(nanos / 1e9),
            }, connection.Call(cancellationToken, TimeSpan.FromSeconds(30)));
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, response.Token + "\n", cancellationToken);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Console.Error.WriteLine(TerminalText.Of($"token for {response.SpiffeId} written to {file}, valid until {response.Expires.ToDateTimeOffset():u}"));
            }
            else
            {
                Console.WriteLine(response.Token);
                Console.Error.WriteLine(TerminalText.Of($"token for {response.SpiffeId}, valid until {response.Expires.ToDateTimeOffset():u}"));
            }
            return 0;
        }));
        return new Command("token", "Bootstrap tokens for sidecars") { create };
    }
}

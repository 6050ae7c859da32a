using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Hardening;

/// <summary>Issue 10, finding 5: a name with a newline and an ESC sequence, written by a viewer or an editor, is one
/// row of <c>meshctl audit</c> (shown escaped), and reaches neither the terminal nor the silo log raw.</summary>
public sealed class AuditForgeryTests : IDisposable
{
    /// <summary>A newline followed by a row that looks like an admin's applied change, coloured green.</summary>
    private const string Forged = "x\n2026-01-01T00:00:00Z   admin   apply   DestinationRule   team-a/forged   applied   7\u001b[32m";

    private readonly WorkDir _dir = new("audit-forgery");

    [Fact]
    public async Task HostileName_IsOneEscapedRow_InTheAuditTable_AndTheLog()
    {
        var usersFile = Path.Combine(_dir.Path, "users.yaml");
        await File.WriteAllTextAsync(usersFile, """
            users:
              - {name: alice, role: admin, token: alice-token}
              - {name: bob, role: editor, namespaces: [team-a], token: bob-token}
              - {name: carol, role: viewer, token: carol-token}
            """);
        using var silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--api-users-file", usersFile]).Start();
        await silo.WaitReady();
        var manifest = $$"""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: "{{Forged.Replace("\n", "\\n").Replace("\u001b", "\\e")}}", namespace: team-a}
            spec: {host: reviews}

            """;

        var byEditor = await Meshctl.RunWithInput(silo.ApiUrl, manifest, "apply", "-f", "-", "--token", "bob-token");
        var byViewer = await Meshctl.RunWithInput(silo.ApiUrl, manifest, "apply", "-f", "-", "--token", "carol-token");
        Assert.Equal(1, byEditor.ExitCode);
        Assert.Equal(1, byViewer.ExitCode);
        Assert.Contains(@"x\n2026-01-01T00:00:00Z", byEditor.Stderr);
        AssertNoRawControls(byEditor.Stderr.TrimEnd('\n').Split('\n'));

        foreach (var format in new[] { "table", "wide" })
        {
            var audit = await Meshctl.Run(silo.ApiUrl, "audit", "-n", "team-a", "-o", format, "--token", "carol-token");
            Assert.True(audit.ExitCode == 0, audit.ToString());
            var rows = audit.Stdout.TrimEnd('\n').Split('\n');
            Assert.Equal(3, rows.Length);
            Assert.Single(rows, row => row.Contains(" bob ", StringComparison.Ordinal) && row.Contains("invalid", StringComparison.Ordinal));
            Assert.Single(rows, row => row.Contains(" carol ", StringComparison.Ordinal) && row.Contains("denied", StringComparison.Ordinal));
            Assert.All(rows.Skip(1), row => Assert.Contains(@"team-a/x\n2026-01-01T00:00:00Z   admin   apply   DestinationRule   team-a/forged   applied   7\x1b[32m", row));
            Assert.DoesNotContain(rows, row => row.StartsWith("2026-01-01", StringComparison.Ordinal));
            AssertNoRawControls(rows);
        }

        var log = silo.Process.Log();
        Assert.DoesNotContain('\u001b', log);
        Assert.Contains(@"team-a/x\n2026-01-01T00:00:00Z", log);
        Assert.DoesNotContain(log.Split('\n'), line => line.StartsWith("2026-01-01T00:00:00Z", StringComparison.Ordinal));
    }

    private static void AssertNoRawControls(IEnumerable<string> lines) =>
        Assert.All(lines, line => Assert.DoesNotContain(line, c => char.IsControl(c)));

    public void Dispose() => _dir.Dispose();
}

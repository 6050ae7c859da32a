using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Hardening;

/// <summary>Issue 10, findings 5 and 3: what a viewer or an editor writes cannot forge rows of the audit trail (a
/// name with a newline and an ESC sequence is one escaped row, in meshctl and in the silo log), nor flood other
/// callers' attempts out of it.</summary>
public sealed class AuditTrailTests : IDisposable
{
    /// <summary>A newline followed by a row that looks like an admin's applied change, coloured green.</summary>
    private const string Forged = "x\n2026-01-01T00:00:00Z   admin   apply   DestinationRule   team-a/forged   applied   7\u001b[32m";

    private readonly WorkDir _dir = new("audit-trail");

    [Fact]
    public async Task HostileName_IsOneEscapedRow_InTheAuditTable_AndTheLog()
    {
        using var silo = await Start();
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

    [Fact]
    public async Task RefusedFlood_IsOneRowPerRequest_AndEvictsNoOtherCallersAttempt()
    {
        using var silo = await Start();
        var flood = string.Join("---\n", Enumerable.Range(0, 1000).Select(i => $"apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: f{i}, namespace: team-a}}\nspec: {{}}\n"));

        // Six refused requests of 1,000 documents: 6,000 rows before, more than a shard keeps.
        for (var i = 0; i < 6; i++)
        {
            var refused = await Meshctl.RunWithInput(silo.ApiUrl, flood, "apply", "-f", "-", "--token", "mallory-token");
            Assert.Equal(1, refused.ExitCode);
        }
        var carol = await Meshctl.RunWithInput(silo.ApiUrl, "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: team-a}\nspec: {host: reviews}\n",
            "apply", "-f", "-", "--token", "carol-token");
        Assert.Equal(1, carol.ExitCode);

        var audit = await Meshctl.Run(silo.ApiUrl, "audit", "-n", "team-a", "-o", "wide", "--token", "alice-token");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var rows = audit.Stdout.TrimEnd('\n').Split('\n').Skip(1).ToList();
        Assert.Equal(7, rows.Count);
        Assert.Single(rows, row => row.Contains(" carol ", StringComparison.Ordinal) && row.Contains("team-a/reviews", StringComparison.Ordinal));
        Assert.True(6 == rows.Count(row => row.Contains(" mallory ", StringComparison.Ordinal) && row.Contains("team-a/f0 (and 999 more)   denied", StringComparison.Ordinal)
            && row.Contains("1000 documents in this namespace, none applied: user mallory (viewer) may not apply to namespace team-a", StringComparison.Ordinal)), audit.Stdout);
        Assert.DoesNotContain("were not kept", audit.Stderr);
    }

    private async Task<SiloProcess> Start()
    {
        var usersFile = Path.Combine(_dir.Path, "users.yaml");
        await File.WriteAllTextAsync(usersFile, """
            users:
              - {name: alice, role: admin, token: alice-token}
              - {name: bob, role: editor, namespaces: [team-a], token: bob-token}
              - {name: carol, role: viewer, token: carol-token}
              - {name: mallory, role: viewer, token: mallory-token}
            """);
        var silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--api-users-file", usersFile]).Start();
        await silo.WaitReady();
        return silo;
    }

    private static void AssertNoRawControls(IEnumerable<string> lines) =>
        Assert.All(lines, line => Assert.DoesNotContain(line, c => char.IsControl(c)));

    public void Dispose() => _dir.Dispose();
}

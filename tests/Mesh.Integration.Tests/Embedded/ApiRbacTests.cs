using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>A silo with a users file, driven by the real meshctl: roles decide who may write where, and every write
/// attempt, allowed or not, is in the audit trail, which survives a restart.</summary>
public sealed class ApiRbacTests : IDisposable
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    private readonly WorkDir _dir = new("rbac");

    [Fact]
    public async Task Roles_DecideWhoWritesWhere_AndEveryAttemptIsAudited_AcrossRestart()
    {
        var usersFile = Path.Combine(_dir.Path, "users.yaml");
        await File.WriteAllTextAsync(usersFile, $"""
            users:
              - name: alice
                role: admin
                tokenSha256: {Sha256("alice-token")}
              - name: bob
                role: editor
                namespaces: [team-a]
                tokenSha256: {Sha256("bob-token")}
              - name: carol
                role: viewer
                token: carol-token
            """);
        using var silo = new SiloProcess(_dir.Path, "rbac", ["--data", Path.Combine(_dir.Path, "data"), "--api-users-file", usersFile]).Start();
        await silo.WaitReady();
        var server = silo.ApiUrl;
        Assert.Contains("users[2] (carol): token: a plain token", silo.Process.Log());

        // A viewer reads but does not write.
        var carolApply = await Apply(server, "carol-token", Rule("team-a", "reviews"));
        Assert.Equal(1, carolApply.ExitCode);
        Assert.Contains("error: user carol (viewer) may not apply to namespace team-a: ask an admin for editor access to team-a", carolApply.Stderr);
        Assert.True((await Meshctl.Run(server, "get", "dr", "-A", "--token", "carol-token")).ExitCode == 0);

        // An editor writes in its namespace only; a manifest reaching beyond it stores nothing.
        var bobA = await Apply(server, "bob-token", Rule("team-a", "reviews"));
        Assert.True(bobA.ExitCode == 0, bobA.ToString());
        Assert.Contains("destinationrule.networking.istio.io/reviews created", bobA.Stdout);
        var bobB = await Apply(server, "bob-token", Rule("team-b", "ratings"));
        Assert.Equal(1, bobB.ExitCode);
        Assert.Contains("user bob (editor of team-a) may not apply to namespace team-b: ask an admin for editor access to team-b", bobB.Stderr);
        var bobMixed = await Apply(server, "bob-token", Rule("team-a", "details") + "---\n" + Rule("team-b", "details"));
        Assert.Equal(1, bobMixed.ExitCode);
        Assert.Contains("may not apply to namespace team-b", bobMixed.Stderr);
        var notStored = await Meshctl.Run(server, "get", "dr", "details", "-n", "team-a", "--token", "alice-token");
        Assert.Equal(1, notStored.ExitCode);
        Assert.Contains("not found", notStored.Stderr);
        var bobDelete = await Meshctl.Run(server, "delete", "dr", "ratings", "-n", "team-b", "--token", "bob-token");
        Assert.Equal(1, bobDelete.ExitCode);
        Assert.Contains("user bob (editor of team-a) may not delete in namespace team-b", bobDelete.Stderr);
        var bobDryRun = await Apply(server, "bob-token", Rule("team-a", "reviews", "reviews.team-a.svc.cluster.local"), "--dry-run");
        Assert.True(bobDryRun.ExitCode == 0, bobDryRun.ToString());

        // An admin writes anywhere; nobody writes without a token.
        var aliceB = await Apply(server, "alice-token", Rule("team-b", "ratings"));
        Assert.True(aliceB.ExitCode == 0, aliceB.ToString());
        var anonymous = await Meshctl.RunWithInput(server, Rule("team-a", "x"), "apply", "-f", "-");
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("requires a bearer token", anonymous.Stderr);

        // The caller's trace id is kept; the trail is also served as HTTP/JSON.
        using (var channel = GrpcChannel.ForAddress(server))
        {
            var headers = new Metadata { { "authorization", "Bearer alice-token" }, { "traceparent", $"00-{TraceId}-b7ad6b7169203331-01" } };
            await new ConfigService.ConfigServiceClient(channel).ApplyAsync(new ApplyRequest { Manifest = Rule("team-b", "traced") }, headers);
        }
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{silo.HttpPort}/apis/mesh.v1/audit?namespace=team-b&user=alice");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "carol-token");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        var traced = JsonNode.Parse(body)!["entries"]!.AsArray().Single(e => e!["name"]!.ToString() == "traced")!;
        Assert.Equal(TraceId, traced["traceId"]!.ToString());

        using var httpApply = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{silo.HttpPort}/apis/mesh.v1/apply")
        {
            Content = new StringContent(new JsonObject { ["manifest"] = Rule("team-b", "over-http") }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        httpApply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bob-token");
        using var refused = await http.SendAsync(httpApply);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("user bob (editor of team-a) may not apply to namespace team-b", await refused.Content.ReadAsStringAsync());

        var before = await AssertTrail(server);

        // Restart: the trail is still there.
        silo.Stop();
        await silo.Start().WaitReady();
        var after = await AssertTrail(server);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());

        var table = await Meshctl.Run(server, "audit", "-n", "team-a", "--since", "1h", "--token", "alice-token");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"(?m)^TIME\s+USER\s+VERB\s+KIND\s+NAMESPACE/NAME\s+OUTCOME\s+VERSION$", table.Stdout);
        Assert.Matches(@"(?m)^\S+Z\s+bob\s+apply\s+DestinationRule\s+team-a/reviews\s+applied\s+1$", table.Stdout);
        Assert.Matches(@"(?m)^\S+Z\s+bob\s+apply\s+DestinationRule\s+team-a/reviews\s+applied \(dry run\)\s+2$", table.Stdout);
        Assert.Matches(@"(?m)^\S+Z\s+carol\s+apply\s+DestinationRule\s+team-a/reviews\s+denied\s+-$", table.Stdout);
        Assert.DoesNotContain("team-b/", table.Stdout);

        var onlyCarol = await Meshctl.Run(server, "audit", "-A", "--user", "carol", "-o", "json", "--token", "bob-token");
        Assert.True(onlyCarol.ExitCode == 0, onlyCarol.ToString());
        Assert.All(JsonNode.Parse(onlyCarol.Stdout)!["items"]!.AsArray(), e => Assert.Equal("carol", e!["user"]!.ToString()));

        var badSince = await Meshctl.Run(server, "audit", "--since", "7d", "--token", "alice-token");
        Assert.Equal(2, badSince.ExitCode);
        Assert.Contains("unknown unit \"d\"", badSince.Stderr);
    }

    [Fact]
    public void InvalidUsersFile_RefusesToStartNamingFileEntryAndField()
    {
        var usersFile = Path.Combine(_dir.Path, "users.yaml");
        File.WriteAllText(usersFile, """
            users:
              - {name: alice, role: admin, token: alice-token}
              - name: bob
                role: owner
                token: bob-token
            """);

        using var silo = new SiloProcess(_dir.Path, "bad-users", ["--data", Path.Combine(_dir.Path, "data"), "--api-users-file", usersFile]).Start();

        Assert.True(silo.Process.WaitForExit(TimeSpan.FromSeconds(30)), "the silo started with an invalid users file");
        Assert.Equal(1, silo.Process.ExitCode);
        Assert.Contains($"error: The API users file '{usersFile}' is not valid:", silo.Process.Log());
        Assert.Contains($"{usersFile}:4: users[1] (bob): role: \"owner\" is not a role; use admin, editor or viewer", silo.Process.Log());
    }

    /// <summary>Checks what the trail says about the attempts above (newest first), and returns it.</summary>
    private static async Task<JsonArray> AssertTrail(string server)
    {
        var audit = await Meshctl.Run(server, "audit", "-A", "-o", "json", "--token", "carol-token");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var items = JsonNode.Parse(audit.Stdout)!["items"]!.AsArray();
        var entries = items.Select(e => (
            User: e!["user"]!.ToString(), Verb: e["verb"]!.ToString(), Namespace: e["namespace"]!.ToString(), Name: e["name"]!.ToString(),
            Outcome: e["outcome"]!.ToString(), Version: e["resourceVersion"]!.ToString(), DryRun: e["dryRun"]!.GetValue<bool>())).ToList();
        (string, string, string, string, string, string, bool)[] expected =
        [
            ("bob", "apply", "team-b", "over-http", "denied", "", false),
            ("alice", "apply", "team-b", "traced", "applied", "1", false),
            ("alice", "apply", "team-b", "ratings", "applied", "1", false),
            ("bob", "apply", "team-a", "reviews", "applied", "2", true),
            ("bob", "delete", "team-b", "ratings", "denied", "", false),
            ("bob", "apply", "team-a", "details", "denied", "", false),
            ("bob", "apply", "team-b", "details", "denied", "", false),
            ("bob", "apply", "team-b", "ratings", "denied", "", false),
            ("bob", "apply", "team-a", "reviews", "applied", "1", false),
            ("carol", "apply", "team-a", "reviews", "denied", "", false),
        ];
        Assert.Equal(expected.Order(), entries.Select(e => (e.User, e.Verb, e.Namespace, e.Name, e.Outcome, e.Version, e.DryRun)).Order());
        var times = items.Select(e => DateTimeOffset.Parse(e!["time"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Equal("over-http", items[0]!["name"]!.ToString());
        var mixedForA = items.Single(e => e!["name"]!.ToString() == "details" && e["namespace"]!.ToString() == "team-a")!;
        Assert.StartsWith("not applied: user bob (editor of team-a) may not apply to namespace team-b", mixedForA["detail"]!.ToString());
        Assert.All(items, e => Assert.Matches("^[0-9a-f]{32}$", e!["traceId"]!.ToString()));
        return items;
    }

    private static Task<Meshctl.Result> Apply(string server, string token, string manifest, params string[] extra) =>
        Meshctl.RunWithInput(server, manifest, ["apply", "-f", "-", "--token", token, .. extra]);

    private static string Rule(string @namespace, string name, string? host = null) => $$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: {{name}}, namespace: {{@namespace}}}
        spec: {host: {{host ?? name}}}

        """;

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose() => _dir.Dispose();
}

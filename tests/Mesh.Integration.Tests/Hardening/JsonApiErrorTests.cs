using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Embedded;

namespace Mesh.Integration.Tests.Hardening;

/// <summary>Issue 10, finding 7: the HTTP/JSON API answers bad input with a 4xx that says what is wrong (an invalid
/// manifest: 400 with every error, field path and reason), never with a 500.</summary>
public sealed class JsonApiErrorTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string Base => $"http://127.0.0.1:{fixture.Silo.HttpPort}/apis/mesh.v1";

    [Fact]
    public async Task InvalidManifest_400WithEveryErrorsFieldPathAndReason()
    {
        const string manifest = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: no-host, namespace: shop}
            spec: {}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: Bad_Name, namespace: shop}
            spec: {hosts: [reviews]}
            """;

        using var response = await Post("/apply", new JsonObject { ["manifest"] = manifest }.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal(3, (int)status["code"]!);
        var errors = status["details"]!.AsArray().Single(d => d!["@type"]!.ToString() == "type.googleapis.com/mesh.v1.ValidationErrors")!["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["resource"]!.ToString() == "DestinationRule shop/no-host" && e["path"]!.ToString() == "spec.host" && e["reason"]!.ToString().Length > 0);
        Assert.Contains(errors, e => e!["resource"]!.ToString() == "document 2" && e["path"]!.ToString() == "metadata.name" && e["reason"]!.ToString().Contains("Bad_Name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!["resource"]!.ToString() == "document 2" && e["path"]!.ToString() == "spec");
    }

    /// <summary>Findings 1 and 2 end to end: an ALLOW policy whose empty source list would admit everyone, a DENY that
    /// would silently do nothing, and a header value that would inject a header are refused whole over the API, each
    /// with its field path, and nothing of the manifest is stored.</summary>
    [Fact]
    public async Task FailOpenPolicyAndHeaderInjection_RefusedWithTheirPaths_NothingStored()
    {
        const string manifest = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: open-by-accident, namespace: hardening}
            spec:
              action: ALLOW
              rules: [{from: [{source: {principals: []}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: no-op, namespace: hardening}
            spec: {action: DENY}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: inject, namespace: hardening}
            spec:
              hosts: [reviews]
              http:
              - headers: {request: {set: {x-a: "v\r\nX-Injected: 1"}}}
                route: [{destination: {host: reviews}}]
            """;

        using var response = await Post("/apply", new JsonObject { ["manifest"] = manifest }.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var errors = JsonNode.Parse(body)!["details"]!.AsArray()
            .Single(d => d!["@type"]!.ToString() == "type.googleapis.com/mesh.v1.ValidationErrors")!["errors"]!.AsArray()
            .Select(e => (Resource: e!["resource"]!.ToString(), Path: e["path"]!.ToString(), Reason: e["reason"]!.ToString())).ToList();
        Assert.Contains(errors, e => e.Resource.Contains("open-by-accident") && e.Path.StartsWith("spec.rules[0].from[0].source", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Resource.Contains("no-op") && e.Path == "spec.rules");
        Assert.Contains(errors, e => e.Resource.Contains("inject") && e.Path == "spec.http[0].headers.request.set.x-a" && e.Reason.Contains("U+000D"));
        foreach (var (kind, name) in new[] { ("ap", "open-by-accident"), ("ap", "no-op"), ("vs", "inject") })
        {
            using var stored = await Http.GetAsync($"{Base}/namespaces/hardening/{kind}/{name}");
            Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        }
    }

    [Fact]
    public async Task MalformedRequests_NeverA500()
    {
        var failures = new List<string>();
        foreach (var (method, path, body, contentType) in JsonApiFuzz.Cases())
        {
            using var request = new HttpRequestMessage(method, Base + path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            using var response = await Http.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                var shown = body is null ? "" : Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 60)));
                failures.Add($"{method} {path} [{contentType}] {shown}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} requests got a 5xx:\n" + string.Join('\n', failures.Take(30)));
        Assert.True(await fixture.Silo.IsHealthy());
    }

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await Http.PostAsync(Base + path, new StringContent(json, Encoding.UTF8, "application/json"));
}

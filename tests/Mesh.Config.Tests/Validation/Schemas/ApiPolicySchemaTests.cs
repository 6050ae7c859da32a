namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>What an ApiPolicy may say: each mistake refused at its field path, with the reason.</summary>
public class ApiPolicySchemaTests
{
    private const string Kind = "ApiPolicy";
    private const string Target = """ "targetRefs": [{"kind": "Gateway", "name": "ingress"}] """;
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static string Spec(string rest = "") => $"{{{Target}{(rest.Length > 0 ? ", " + rest : "")}}}";

    public static TheoryData<string> Accepted => new()
    {
        Spec(),
        """{"targetRefs": [{"kind": "VirtualService", "name": "orders"}, {"kind": "HTTPRoute", "name": "orders"}], "hosts": ["api.example.com", "*.example.com"]}""",
        Spec("""
             "rateLimits": [
               {"name": "per-ip", "match": {"pathPrefix": "/api", "methods": ["GET", "POST"]}, "key": {"type": "ClientIp"}, "maxTokens": 10, "tokensPerFill": 5, "fillInterval": "1s"},
               {"name": "per-user", "key": {"type": "Header", "name": "x-user"}, "maxTokens": 100, "fillInterval": "1m"},
               {"name": "per-sub", "key": {"type": "JwtClaim", "name": "sub"}, "maxTokens": 100, "fillInterval": "1m"},
               {"name": "per-consumer", "key": {"type": "Consumer"}, "maxTokens": 1000, "fillInterval": "1m", "scope": "Cluster", "failureMode": "Closed"}],
             "apiKeys": {"in": "header", "name": "x-api-key", "consumers": [{"name": "acme", "keyHashes": ["HASH"]}]}
             """.Replace("HASH", Hash)),
        Spec("""
             "apiKeys": {"in": "query", "name": "apikey", "consumers": [{"name": "acme", "keyHashes": ["HASH"]}]},
             "ipAllow": ["10.0.0.0/8", "2001:db8::/32"], "ipDeny": ["10.1.2.3"], "trustedHops": 1, "maxRequestBodyBytes": 1048576
             """.Replace("HASH", Hash)),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts_AWellFormedPolicy(string spec) => Specs.AssertValid(Kind, spec);

    [Theory]
    [InlineData("""{"hosts": ["a.example.com"]}""", "spec.targetRefs", "required")]
    [InlineData("""{"targetRefs": []}""", "spec.targetRefs", "at least one target")]
    [InlineData("""{"targetRefs": [{"kind": "Service", "name": "a"}]}""", "spec.targetRefs[0].kind", "is not one of")]
    [InlineData("""{"targetRefs": [{"kind": "Gateway"}]}""", "spec.targetRefs[0].name", "required")]
    public void Refuses_BadTargets(string spec, string path, string reason) => Specs.AssertRefused(Kind, spec, path, reason);

    [Theory]
    [InlineData("""{"name": "a", "maxTokens": 10}""", "spec.rateLimits[0].fillInterval", "required")]
    [InlineData("""{"name": "a", "fillInterval": "1s"}""", "spec.rateLimits[0].maxTokens", "required")]
    [InlineData("""{"name": "a", "maxTokens": 0, "fillInterval": "1s"}""", "spec.rateLimits[0].maxTokens", "")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "10ms"}""", "spec.rateLimits[0].fillInterval", "")]
    [InlineData("""{"name": "a", "maxTokens": 10, "tokensPerFill": 20, "fillInterval": "1s"}""", "spec.rateLimits[0].tokensPerFill", "must not exceed maxTokens")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "failureMode": "Closed"}""", "spec.rateLimits[0].failureMode", "set scope: Cluster")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "scope": "Global"}""", "spec.rateLimits[0].scope", "is not one of")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "key": {"type": "Header"}}""", "spec.rateLimits[0].key.name", "required for a Header key")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "key": {"type": "JwtClaim"}}""", "spec.rateLimits[0].key.name", "required for a JwtClaim key")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "key": {"type": "ClientIp", "name": "x"}}""", "spec.rateLimits[0].key.name", "takes no name")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "key": {"type": "Header", "name": "bad header"}}""", "spec.rateLimits[0].key.name", "")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "key": {"type": "Consumer"}}""", "spec.rateLimits[0].key", "needs apiKeys")]
    [InlineData("""{"name": "a", "maxTokens": 10, "fillInterval": "1s", "match": {"pathPrefix": "api"}}""", "spec.rateLimits[0].match.pathPrefix", "must start with /")]
    [InlineData("""{"name": "Bad_Name", "maxTokens": 10, "fillInterval": "1s"}""", "spec.rateLimits[0].name", "")]
    public void Refuses_BadRateLimits(string limit, string path, string reason) =>
        Specs.AssertRefused(Kind, Spec($"\"rateLimits\": [{limit}]"), path, reason);

    [Fact]
    public void Refuses_TwoLimitsOfOneName() => Specs.AssertRefused(Kind,
        Spec("""
             "rateLimits": [{"name": "a", "maxTokens": 1, "fillInterval": "1s"}, {"name": "a", "maxTokens": 2, "fillInterval": "1s"}]
             """), "spec.rateLimits[1]", "");

    [Theory]
    [InlineData("""{"in": "cookie", "name": "k", "consumers": [{"name": "a", "keyHashes": ["HASH"]}]}""", "spec.apiKeys.in", "is not one of")]
    [InlineData("""{"in": "header", "name": "bad header", "consumers": [{"name": "a", "keyHashes": ["HASH"]}]}""", "spec.apiKeys.name", "")]
    [InlineData("""{"in": "header", "name": "k", "consumers": []}""", "spec.apiKeys.consumers", "at least one consumer")]
    [InlineData("""{"in": "header", "name": "k", "consumers": [{"name": "a", "keyHashes": ["secret-in-clear"]}]}""", "spec.apiKeys.consumers[0].keyHashes[0]", "is not a SHA-256")]
    [InlineData("""{"in": "header", "name": "k", "consumers": [{"name": "a", "keyHashes": []}]}""", "spec.apiKeys.consumers[0].keyHashes", "at least one key hash")]
    [InlineData("""{"in": "header", "consumers": [{"name": "a", "keyHashes": ["HASH"]}]}""", "spec.apiKeys.name", "required")]
    public void Refuses_BadApiKeys(string keys, string path, string reason) =>
        Specs.AssertRefused(Kind, Spec($"\"apiKeys\": {keys.Replace("HASH", Hash)}"), path, reason);

    [Theory]
    [InlineData("\"ipAllow\": [\"10.0.0.0/33\"]", "spec.ipAllow[0]", "invalid prefix length")]
    [InlineData("\"ipDeny\": [\"example.com\"]", "spec.ipDeny[0]", "is not an IP address")]
    [InlineData("\"trustedHops\": 1", "spec.trustedHops", "set one of them")]
    [InlineData("\"ipDeny\": [\"10.0.0.1\"], \"trustedHops\": 17", "spec.trustedHops", "")]
    [InlineData("\"maxRequestBodyBytes\": 0", "spec.maxRequestBodyBytes", "")]
    [InlineData("\"rateLimit\": []", "spec.rateLimit", "")]
    public void Refuses_BadLimitsAndLists(string rest, string path, string reason) => Specs.AssertRefused(Kind, Spec(rest), path, reason);
}

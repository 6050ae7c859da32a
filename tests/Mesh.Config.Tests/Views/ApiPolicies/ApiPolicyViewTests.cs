using System.Text.Json.Nodes;
using Mesh.Config.Views.ApiPolicies;

namespace Mesh.Config.Tests.Views.ApiPolicies;

public sealed class ApiPolicyViewTests
{
    [Fact]
    public void From_ReadsTargetsLimitsKeysAndLists()
    {
        var view = ApiPolicyView.From(JsonNode.Parse("""
            {"targetRefs": [{"kind": "Gateway", "name": "ingress"}], "hosts": ["api.example.com"],
             "rateLimits": [
               {"name": "per-ip", "match": {"pathPrefix": "/api", "methods": ["GET"]}, "key": {"type": "ClientIp"}, "maxTokens": 10, "tokensPerFill": 5, "fillInterval": "1.5s"},
               {"name": "all", "maxTokens": 100, "fillInterval": "1m", "scope": "Cluster", "failureMode": "Closed"}],
             "apiKeys": {"in": "query", "name": "apikey", "consumers": [{"name": "acme", "keyHashes": ["ab"]}]},
             "ipDeny": ["10.0.0.0/8"], "trustedHops": 2, "maxRequestBodyBytes": 1024}
            """)!.AsObject());

        Assert.Equal([new PolicyTargetRef("Gateway", "ingress")], view.TargetRefs);
        Assert.Equal(["api.example.com"], view.Hosts);
        Assert.Equal(new RateLimitSpec("per-ip", "/api", ["GET"], RateLimitKeyType.ClientIp, null, 10, 5, TimeSpan.FromMilliseconds(1500), false, false),
            view.RateLimits[0] with { Methods = ["GET"] }, new RateLimitComparer());
        Assert.Equal((RateLimitKeyType.None, 1L, true, true), (view.RateLimits[1].KeyType, view.RateLimits[1].TokensPerFill, view.RateLimits[1].Cluster, view.RateLimits[1].FailClosed));
        Assert.Equal(TimeSpan.FromMinutes(1), view.RateLimits[1].FillInterval);
        Assert.True(view.ApiKeys!.InQuery);
        Assert.Equal(("apikey", "acme", "ab"), (view.ApiKeys.Name, view.ApiKeys.Consumers[0].Name, view.ApiKeys.Consumers[0].KeyHashes[0]));
        Assert.Equal((2, 1024L), (view.TrustedHops, view.MaxRequestBodyBytes));
        Assert.Equal(["10.0.0.0/8"], view.IpDeny);
        Assert.Empty(view.IpAllow);
    }

    /// <summary>Records compare lists by reference: compare the limit field by field, methods by content.</summary>
    private sealed class RateLimitComparer : IEqualityComparer<RateLimitSpec>
    {
        public bool Equals(RateLimitSpec? x, RateLimitSpec? y) =>
            x is not null && y is not null && x.Methods.SequenceEqual(y.Methods) && x == y with { Methods = x.Methods };

        public int GetHashCode(RateLimitSpec obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}

using Mesh.Grains.Services;
using Mesh.Xds.Cache;
using Mesh.Xds.Tests.Translation;

namespace Mesh.Xds.Tests.Cache;

public sealed class PeerAuthenticationsTests
{
    private const string Root = "istio-system";
    // The keys production makes: namespace/name for a WorkloadEntry, ServiceEntry/ns/name#i for an inline endpoint.
    private static readonly EndpointAddress V1 = Bookinfo.V1;
    private static readonly EndpointAddress V2 = Bookinfo.V2;
    private static readonly EndpointAddress Inline = Bookinfo.V1 with { WorkloadKey = "ServiceEntry/bookinfo/reviews#0" };

    private static ConfigSpec Mode(string @namespace, string mode) =>
        new($"PeerAuthentication/{@namespace}/default", @namespace, $$$"""{"mtls": {"mode": "{{{mode}}}"}}""");

    /// <summary>A policy source holding some namespaces, which records what it was asked.</summary>
    private sealed class Held(params (string Namespace, ConfigSpec[] Policies)[] held)
    {
        public List<string> Asked { get; } = [];

        public bool Lookup(string @namespace, out IReadOnlyList<ConfigSpec> policies)
        {
            Asked.Add(@namespace);
            var found = held.FirstOrDefault(h => h.Namespace == @namespace);
            policies = found.Policies ?? [];
            return found.Namespace is not null;
        }
    }

    [Fact]
    public void Of_AsksForTheRootNamespace_OnlyOnceAWorkloadsOwnIsHeld()
    {
        var none = new Held();
        PeerAuthentications.Of([V1, V2, Inline], Root, none.Lookup);
        Assert.Equal(["bookinfo"], none.Asked);

        var own = new Held(("bookinfo", []));
        PeerAuthentications.Of([V1, V2], Root, own.Lookup);
        Assert.Equal(["bookinfo", Root], own.Asked);
    }

    public static TheoryData<string, (string, ConfigSpec[])[], bool> PlaintextCases => new()
    {
        { "namespace DISABLE, root held", [("bookinfo", [Mode("bookinfo", "DISABLE")]), (Root, [])], true },
        { "mesh DISABLE", [("bookinfo", []), (Root, [Mode(Root, "DISABLE")])], true },
        { "namespace STRICT over mesh DISABLE", [("bookinfo", [Mode("bookinfo", "STRICT")]), (Root, [Mode(Root, "DISABLE")])], false },
        { "namespace DISABLE, root not held yet", [("bookinfo", [Mode("bookinfo", "DISABLE")])], false },
        { "nothing held yet", [], false },
    };

    [Theory]
    [MemberData(nameof(PlaintextCases))]
    public void PlaintextOnly_IsDisableOnceEveryPolicyThatAppliesIsKnown(string _, (string, ConfigSpec[])[] held, bool plaintext)
    {
        var peers = PeerAuthentications.Of([V1], Root, new Held(held).Lookup);

        Assert.Equal(plaintext, peers.PlaintextOnly(V1));
    }

    [Fact]
    public void PlaintextOnly_NeverForAServiceEntrysInlineEndpoint()
    {
        var peers = new PeerAuthentications(new Dictionary<string, IReadOnlyList<ConfigSpec>> { ["ServiceEntry"] = [Mode("ServiceEntry", "DISABLE")], [Root] = [] }, Root);

        Assert.False(peers.PlaintextOnly(Inline));
    }

    [Theory]
    [InlineData("bookinfo", true)]
    [InlineData(Root, true)]
    [InlineData("other", false)]
    public void Concerns_TheWorkloadsNamespacesAndTheRoot(string changed, bool concerns) =>
        Assert.Equal(concerns, PeerAuthentications.Concerns(changed, Root, [V1, Inline]));
}

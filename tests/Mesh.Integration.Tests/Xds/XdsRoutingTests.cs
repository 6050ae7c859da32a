using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Xds;

/// <summary>Real proxyless gRPC clients, given only a bootstrap file, route as Istio would for the same YAML.</summary>
public sealed class XdsRoutingTests(XdsMesh mesh, ITestOutputHelper output) : IClassFixture<XdsMesh>
{
    private static readonly Dictionary<string, string> Canary = new() { ["x-canary"] = "yes" };

    [Theory]
    [MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]
    public async Task WeightedSplit_HeaderMatch_AndAChangeFollowedWithinASecond(XdsClientKind kind)
    {
        await mesh.Apply(XdsMesh.VirtualService(80, 20));
        using var client = await XdsClientProcess.StartAsync(kind, XdsBootstrap.ForPorts(mesh.Silo.XdsPort), mesh.WorkDir);

        var split = await client.CallsAsync(1000);
        output.WriteLine($"{kind} 80/20: {split}");
        Assert.True(split.Failed == 0, $"{kind}: {split}\n{client.Log()}");
        Assert.InRange(split.Share("v1"), 0.75, 0.85);
        Assert.InRange(split.Share("v2"), 0.15, 0.25);

        var canary = await client.CallsAsync(100, Canary);
        Assert.Equal(100, canary.Answered("v3"));

        await mesh.Apply(XdsMesh.VirtualService(50, 50));
        var followed = await client.UntilAsync("v2", minShare: 0.4, timeout: TimeSpan.FromSeconds(10), window: 100);
        output.WriteLine($"{kind} after 50/50: {followed}");
        Assert.True(followed.Reached, $"{kind}: {followed}");
        Assert.True(followed.Counts.Elapsed < TimeSpan.FromSeconds(2), $"{kind} followed the change only after {followed.Counts.Elapsed}");
        var even = await client.CallsAsync(1000);
        Assert.InRange(even.Share("v2"), 0.45, 0.55);
    }
}

using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.Sidecar.SidecarMesh;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>A mesh of its own (so that killing its control plane harms no other test): two backends behind sidecars.</summary>
public sealed class SmallSidecarMesh : SidecarMesh
{
    public override IReadOnlyList<string> Versions => ["v1", "v2"];
}

/// <summary>Static stability: with the control plane gone the sidecars keep serving on their last config.</summary>
[Trait("Category", "Sidecar")]
public sealed class SidecarStabilityTests(SmallSidecarMesh mesh) : IClassFixture<SmallSidecarMesh>
{
    [Fact]
    public async Task Killing_the_control_plane_costs_not_one_request()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: 50
                - destination: {host: reviews, subset: v2}
                  weight: 50
            """));
        var load = new Load(mesh, workers: 4).Start();
        await Task.Delay(1000);
        mesh.Silo.Kill();
        await Task.Delay(4000);
        await load.Stop();
        Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} failed: {string.Join(" | ", load.Failures.Take(5))}");
        Assert.True(load.Ok > 200, $"only {load.Ok} requests");
        Assert.True(load.ByBackend.GetValueOrDefault("reviews-v1") > 50 && load.ByBackend.GetValueOrDefault("reviews-v2") > 50, "both subsets kept serving");
        // The sidecars say so, and keep trying to reconnect.
        Assert.Null((await mesh.Client.Admin("/config_dump"))["xds_server"]?.GetValue<string>());
    }
}

using Mesh.Grains.Kubernetes;
using Orleans.Core.Internal;

namespace Mesh.Grains.Tests.Kubernetes;

/// <summary>The lease rules: one holder at a time, renewals keep it, it passes on only once it has expired or been
/// released, and each new holder starts a new term.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class KubernetesLeaseGrainTests(MeshCluster mesh)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(600);
    /// <summary>Renewed every third of it: a loaded machine's gaps between renewals stay well inside.</summary>
    private static readonly TimeSpan Renewed = TimeSpan.FromSeconds(3);

    private IKubernetesLeaseGrain Lease() => mesh.Grains.GetGrain<IKubernetesLeaseGrain>($"test-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_free_lease_goes_to_the_first_caller_and_the_second_is_told_who_holds_it()
    {
        var lease = Lease();
        var first = await lease.Acquire("silo-a", TimeSpan.FromMinutes(1)).Within();
        var second = await lease.Acquire("silo-b", TimeSpan.FromMinutes(1)).Within();

        Assert.True(first.IsHeldBy("silo-a"));
        Assert.Equal(1, first.Term);
        Assert.False(second.IsHeldBy("silo-b"));
        Assert.Equal("silo-a", second.Holder);
        Assert.InRange(second.Remaining, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Renewals_keep_the_lease_past_its_first_time_to_live()
    {
        var lease = Lease();
        await lease.Acquire("silo-a", Renewed).Within();
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(Renewed / 3);
            Assert.True((await lease.Acquire("silo-a", Renewed).Within()).IsHeldBy("silo-a"));
            Assert.Equal("silo-a", (await lease.Acquire("silo-b", Renewed).Within()).Holder);
        }
        Assert.Equal(1, (await lease.Acquire("silo-a", Renewed).Within()).Term);
    }

    [Fact]
    public async Task An_expired_lease_passes_to_the_next_caller_with_a_new_term()
    {
        var lease = Lease();
        await lease.Acquire("silo-a", Short).Within();
        await Task.Delay(Short + TimeSpan.FromMilliseconds(100));

        var taken = await lease.Acquire("silo-b", TimeSpan.FromMinutes(1)).Within();
        Assert.True(taken.IsHeldBy("silo-b"));
        Assert.Equal(2, taken.Term);
        // The old holder, back late, does not get it back.
        Assert.Equal("silo-b", (await lease.Acquire("silo-a", Short).Within()).Holder);
    }

    [Fact]
    public async Task A_release_frees_it_at_once_but_only_by_its_holder()
    {
        var lease = Lease();
        await lease.Acquire("silo-a", TimeSpan.FromMinutes(1)).Within();
        await lease.Release("silo-b").Within();
        Assert.Equal("silo-a", (await lease.Acquire("silo-b", TimeSpan.FromMinutes(1)).Within()).Holder);

        await lease.Release("silo-a").Within();
        Assert.True((await lease.Acquire("silo-b", TimeSpan.FromMinutes(1)).Within()).IsHeldBy("silo-b"));
    }

    [Fact]
    public async Task A_reactivated_lease_gives_its_stored_holder_a_whole_time_to_live()
    {
        var key = $"test-{Guid.NewGuid():N}";
        var lease = mesh.Grains.GetGrain<IKubernetesLeaseGrain>(key);
        await lease.Acquire("silo-a", TimeSpan.FromSeconds(30)).Within();
        await lease.Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().Within();
        await Task.Delay(200);

        var after = await mesh.Grains.GetGrain<IKubernetesLeaseGrain>(key).Acquire("silo-b", TimeSpan.FromSeconds(30)).Within();
        Assert.Equal("silo-a", after.Holder);
        Assert.Equal(1, after.Term);
        Assert.InRange(after.Remaining, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }
}

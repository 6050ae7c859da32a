using System.Text;
using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Directories;
using Mesh.Grains.Gateways;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Mesh.Grains.Tests.Subscriptions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Grains.Tests.Directories;

/// <summary>The one directory idea behind the gateway and ApiPolicy directories: persisted by key, subscribers told the
/// whole set on a real change only, and stored under the names a running deployment already holds. The directories
/// are shared by the tests of the cluster, so each test looks at its own keys only.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class DirectoryGrainTests(MeshCluster mesh)
{
    private readonly string _id = Guid.NewGuid().ToString("N");

    private IGatewayDirectoryGrain Gateways => mesh.Grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key);

    private IApiPolicyDirectoryGrain Policies => mesh.Grains.GetGrain<IApiPolicyDirectoryGrain>(IApiPolicyDirectoryGrain.Key);

    [Fact]
    public async Task A_subscriber_is_told_every_entry_on_a_change_and_nothing_when_a_set_says_the_same()
    {
        var told = new Told<GatewaySelection>();
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        await using var subscriptions = registry.Add<IGatewayDirectoryGrain, IDirectoryObserver<GatewaySelection>>(told, TestSubscribers.Hourly(new Resyncs()));
        await subscriptions.Open(IGatewayDirectoryGrain.Key, Gateways.GetAll).Within();

        await Gateways.Set(Selection("a", "ingress")).Within();
        Assert.Contains(await told.Next(), s => s.GatewayKey == Key("a"));
        // The same selection in a new instance (its labels are a new dictionary) is not a change.
        await Gateways.Set(Selection("a", "ingress")).Within();
        await Gateways.Set(Selection("b", "egress")).Within();
        var next = await told.Next();
        Assert.Contains(next, s => s.GatewayKey == Key("b"));

        await Gateways.Remove(Key("a")).Within();
        Assert.DoesNotContain(await told.Next(), s => s.GatewayKey == Key("a"));
        await Gateways.Remove(Key("b")).Within();
    }

    [Fact]
    public async Task Entries_come_ordered_by_key_and_a_changed_entry_replaces_the_one_held()
    {
        await Policies.Set(Policy("z", 1)).Within();
        await Policies.Set(Policy("m", 1)).Within();
        await Policies.Set(Policy("z", 2)).Within();

        var mine = (await Policies.GetAll().Within()).Where(p => p.Key.Contains(_id, StringComparison.Ordinal)).ToList();
        Assert.Equal([PolicyKey("m"), PolicyKey("z")], mine.Select(p => p.Key));
        Assert.Contains("2048", mine[1].SpecJson, StringComparison.Ordinal);
        await Policies.Remove(PolicyKey("m")).Within();
        await Policies.Remove(PolicyKey("z")).Within();
    }

    [Fact]
    public async Task The_state_is_stored_under_the_type_and_fields_a_running_deployment_holds()
    {
        await Gateways.Set(Selection("stored", "ingress")).Within();
        await Policies.Set(Policy("stored", 1)).Within();

        // What the store keeps names the concrete state types, so the generic base must not replace them.
        var gateways = Encoding.UTF8.GetString(Assert.Single(FaultyStorage.Stored(IGatewayDirectoryGrain.Key)));
        Assert.Contains(nameof(GatewayDirectoryState), gateways, StringComparison.Ordinal);
        Assert.Contains(nameof(GatewayDirectoryState.Selections), gateways, StringComparison.Ordinal);
        var policies = Encoding.UTF8.GetString(Assert.Single(FaultyStorage.Stored(IApiPolicyDirectoryGrain.Key)));
        Assert.Contains(nameof(ApiPolicyDirectoryState), policies, StringComparison.Ordinal);
        Assert.Contains(nameof(ApiPolicyDirectoryState.Policies), policies, StringComparison.Ordinal);
        await Gateways.Remove(Key("stored")).Within();
        await Policies.Remove(PolicyKey("stored")).Within();
    }

    private string Key(string name) => $"Gateway/{_id}/{name}";

    private GatewaySelection Selection(string name, string istio) => new(Key(name), new Dictionary<string, string> { ["istio"] = istio }, null);

    private string PolicyKey(string name) => $"ApiPolicy/{_id}/{name}";

    private ConfigSpec Policy(string name, int kilobytes) => new(PolicyKey(name), _id, $$"""{"maxRequestBodyBytes": {{kilobytes * 1024}}}""");

    private sealed class Told<TEntry> : Arrivals<List<TEntry>>, IDirectoryObserver<TEntry>
    {
        public Task OnDirectoryChanged(List<TEntry> entries)
        {
            Add(entries);
            return Task.CompletedTask;
        }
    }
}

using Envoy.Config.Cluster.V3;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Tests.Config;

/// <summary>An update compiles only what it changed: everything else keeps its compiled object (the same instance).</summary>
public sealed class ModelUpdateTests
{
    private const int Count = 20;

    [Fact]
    public async Task A_push_that_changes_one_of_many_clusters_keeps_every_other_compiled_object()
    {
        var store = await Services.Store(Count);
        var before = store.Current;

        // State of the world: every cluster is sent again (new messages), one of them changed.
        Assert.Null(await Services.Push(store, "2", [.. Enumerable.Range(0, Count).Select(i => Services.Cluster(i, maxConnections: i == 7 ? 10u : null))]));
        var after = store.Current;

        Assert.NotSame(before, after);
        Assert.Equal(10, after.Clusters[Services.ClusterName(7)].Limits.MaxConnections);
        Assert.NotSame(before.Clusters[Services.ClusterName(7)], after.Clusters[Services.ClusterName(7)]);
        Assert.All(Enumerable.Range(0, Count).Where(i => i != 7), i => Assert.Same(before.Clusters[Services.ClusterName(i)], after.Clusters[Services.ClusterName(i)]));
        Assert.All(Enumerable.Range(0, Count), i =>
        {
            Assert.Same(before.Routes[Services.Host(i)], after.Routes[Services.Host(i)]);
            Assert.Same(before.Listeners[Services.Host(i)], after.Listeners[Services.Host(i)]);
        });
    }

    [Fact]
    public async Task Changed_endpoints_compile_again_only_the_cluster_that_takes_them()
    {
        var store = await Services.Store(Count);
        var before = store.Current;

        Assert.Null(await Services.Push(store, "2", Services.Endpoints(3, "10.0.0.1", "10.0.0.2")));
        var after = store.Current;

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], after.Clusters[Services.ClusterName(3)].Endpoints.Select(e => e.Key));
        Assert.NotEqual(before.Clusters[Services.ClusterName(3)].EndpointsVersion, after.Clusters[Services.ClusterName(3)].EndpointsVersion);
        Assert.All(Enumerable.Range(0, Count).Where(i => i != 3), i => Assert.Same(before.Clusters[Services.ClusterName(i)], after.Clusters[Services.ClusterName(i)]));
    }

    [Fact]
    public async Task Endpoints_sent_again_unchanged_compile_nothing()
    {
        var store = await Services.Store(Count);
        var before = store.Current;

        Assert.Null(await Services.Push(store, "2", [.. Enumerable.Range(0, Count).Select(i => Services.Endpoints(i))]));

        Assert.Equal("2", store.Current.Resources.TypeVersions[TypeUrls.Endpoint]);
        Assert.All(Enumerable.Range(0, Count), i => Assert.Same(before.Clusters[Services.ClusterName(i)], store.Current.Clusters[Services.ClusterName(i)]));
    }

    [Fact]
    public async Task A_changed_route_table_keeps_the_compiled_routes_that_did_not_change()
    {
        var store = await Services.Store(2);
        var before = store.Current.Routes[Services.Host(1)].VirtualHosts.Single().Routes;

        Assert.Null(await Services.Push(store, "2", Services.Routes(0), Services.Routes(1, timeout: "3s")));
        var after = store.Current.Routes[Services.Host(1)].VirtualHosts.Single().Routes;

        Assert.Equal(TimeSpan.FromSeconds(3), after[0].Forward!.Timeout);
        Assert.NotSame(before[0], after[0]);
        Assert.Same(before[1], after[1]);
    }

    [Fact]
    public async Task A_removed_cluster_leaves_the_model_and_the_rest_stay()
    {
        var store = await Services.Store(3);
        var before = store.Current;

        Assert.Null(await store.Apply(TypeUrls.Cluster, [], [Services.ClusterName(1)], "2"));

        Assert.False(store.Current.Clusters.ContainsKey(Services.ClusterName(1)));
        Assert.Same(before.Clusters[Services.ClusterName(0)], store.Current.Clusters[Services.ClusterName(0)]);
        Assert.Same(before.Clusters[Services.ClusterName(2)], store.Current.Clusters[Services.ClusterName(2)]);
    }

    [Fact]
    public async Task A_push_that_does_not_compile_changes_nothing_and_says_what_a_whole_compile_says()
    {
        var store = await Services.Store(Count);
        var before = store.Current;
        var bad = Enumerable.Range(0, Count).Select(i => Services.Cluster(i)).ToList();
        bad[4].LbPolicy = Cluster.Types.LbPolicy.ClusterProvided;
        bad[11].Type = Cluster.Types.DiscoveryType.OriginalDst;

        var error = await Services.Push(store, "2", [.. bad]);

        var candidate = before.Resources.With(TypeUrls.Cluster, bad.Select(c => new ReceivedResource(c.Name, "2", c)), [], "2");
        Assert.Equal(string.Join("; ", ModelCompiler.Compile(candidate).Errors), error);
        Assert.Contains($"Cluster {Services.ClusterName(4)}: lb_policy ClusterProvided is not supported", error);
        Assert.Contains($"Cluster {Services.ClusterName(11)}: type OriginalDst is not supported", error);
        Assert.Same(before, store.Current);
    }

    [Fact]
    public async Task An_update_compiles_to_what_a_whole_compile_of_the_same_resources_gives()
    {
        var store = await Services.Store(4);
        Assert.Null(await Services.Push(store, "2", Services.Cluster(2, maxConnections: 5)));
        Assert.Null(await Services.Push(store, "2", Services.Endpoints(1, "10.0.0.9")));

        var (whole, errors) = ModelCompiler.Compile(store.Current.Resources);

        Assert.Empty(errors);
        Assert.Equal(whole!.Clusters.Keys.Order(), store.Current.Clusters.Keys.Order());
        Assert.All(whole.Clusters, pair =>
        {
            var incremental = store.Current.Clusters[pair.Key];
            Assert.Equal(pair.Value.Limits, incremental.Limits);
            Assert.Equal(pair.Value.Endpoints, incremental.Endpoints);
        });
    }

    [Fact]
    public async Task The_names_subscribed_to_follow_what_the_resources_refer_to_and_only_their_change_resubscribes()
    {
        var store = await Services.Store(3);
        var resubscribed = 0;
        store.SubscriptionsChanged += () => resubscribed++;

        Assert.Null(await Services.Push(store, "2", Services.Cluster(1, maxConnections: 4)));
        Assert.Equal(0, resubscribed);
        Assert.Null(await store.Apply(TypeUrls.Route, [], [Services.Host(2)], "2"));
        Assert.Equal(1, resubscribed);

        var desired = store.Desired();
        Assert.Equal([Services.Host(0), Services.Host(1), Services.Host(2)], desired[TypeUrls.Route].Order());
        Assert.Equal([Services.ClusterName(0), Services.ClusterName(1)], desired[TypeUrls.Cluster].Order());
        Assert.Equal([Services.ClusterName(0), Services.ClusterName(1), Services.ClusterName(2)], desired[TypeUrls.Endpoint].Order());
    }

    [Theory]
    [InlineData("127.0.0.1", null, false)]
    [InlineData("127.0.0.1", 8080, true)]
    [InlineData("10.233.0.34", null, true)]
    public void The_inbound_listener_is_asked_for_when_the_sidecar_fronts_an_app_or_other_pods_reach_it(string address, int? appPort, bool inbound)
    {
        var options = new Mesh.Sidecar.Hosting.SidecarOptions { XdsServers = ["http://127.0.0.1:15010"], Namespace = "shop", Workload = "web", Address = address, AppPort = appPort };
        var store = new ConfigStore(new NoClusters(), options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ConfigStore>.Instance);

        Assert.Equal(inbound, store.Desired()[TypeUrls.Listener].Contains(InboundListenerName.Of("shop", "web")));
    }

    private sealed class NoClusters : IClusterSync
    {
        public Task Apply(ProxyModel model) => Task.CompletedTask;
    }
}

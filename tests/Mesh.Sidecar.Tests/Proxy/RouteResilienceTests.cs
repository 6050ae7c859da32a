using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Mesh.Sidecar.Tests.Config;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>A route's resilience pipeline is built once and lives as long as the route's compiled action, which a push
/// that does not change the route keeps.</summary>
public sealed class RouteResilienceTests
{
    [Fact]
    public async Task A_pipeline_survives_a_push_that_does_not_change_its_route()
    {
        var store = await Services.Store(2);
        var (timeout, retries) = Pipelines(store.Current, 1);

        Assert.Null(await Services.Push(store, "2", Services.Cluster(0, maxConnections: 3), Services.Cluster(1, maxConnections: 3)));
        Assert.Null(await Services.Push(store, "2", Services.Listener(0), Services.Listener(1)));
        Assert.Null(await Services.Push(store, "2", Services.Routes(0, timeout: "2s"), Services.Routes(1, retries: 3)));
        var after = Pipelines(store.Current, 1);

        Assert.Same(timeout, after.Timeout);
        Assert.NotSame(retries, after.Retries);
    }

    [Fact]
    public void A_route_with_neither_timeout_nor_retries_has_no_pipeline()
    {
        var action = Resources.Route("""{"match": {"prefix": "/"}, "route": {"cluster": "c", "retry_policy": {"num_retries": 0}}}""").Forward! with { Retry = null };

        Assert.Null(RouteResilience.For(action));
    }

    private static (object Timeout, object Retries) Pipelines(ProxyModel model, int service)
    {
        var routes = model.Routes[Services.Host(service)].VirtualHosts.Single().Routes;
        return (RouteResilience.For(routes[0].Forward!)!, RouteResilience.For(routes[1].Forward!)!);
    }
}

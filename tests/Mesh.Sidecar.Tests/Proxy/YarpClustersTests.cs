using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Tests.Config;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>YARP's clusters in a sidecar built as it runs (not started: YARP loads its config when the host is built):
/// a push keeps the HTTP client, and so the connections, of every cluster whose client settings it does not change.</summary>
public sealed class YarpClustersTests
{
    [Fact]
    public async Task A_push_keeps_the_http_client_of_every_cluster_it_does_not_change()
    {
        await using var app = SidecarHost.Build(new SidecarOptions { XdsServers = ["127.0.0.1:1"], Workload = "client", AccessLog = "off" });
        var store = app.Services.GetRequiredService<ConfigStore>();
        var yarp = app.Services.GetRequiredService<IProxyStateLookup>();
        Assert.Null(await Services.Push(store, "1", Services.Cluster(0), Services.Cluster(1)));
        Assert.Null(await Services.Push(store, "1", Services.Endpoints(0), Services.Endpoints(1)));
        var (client0, client1) = (Client(yarp, 0), Client(yarp, 1));

        // Cluster 1's connection limit is an HTTP client setting: its client is made again, cluster 0's is kept.
        Assert.Null(await Services.Push(store, "2", Services.Cluster(0), Services.Cluster(1, maxConnections: 10)));
        Assert.Same(client0, Client(yarp, 0));
        Assert.NotSame(client1, Client(yarp, 1));

        // New endpoints change the destinations, not the client.
        Assert.Null(await Services.Push(store, "2", Services.Endpoints(0, "10.0.0.1", "10.0.0.2")));
        Assert.True(yarp.TryGetCluster(Services.ClusterName(0), out var cluster0));
        Assert.Equal(2, cluster0.Destinations.Count);
        Assert.Same(client0, Client(yarp, 0));
    }

    private static HttpMessageInvoker Client(IProxyStateLookup yarp, int service)
    {
        Assert.True(yarp.TryGetCluster(Services.ClusterName(service), out var cluster));
        return cluster.Model.HttpClient;
    }
}

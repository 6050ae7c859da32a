using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Xds;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>The outbound side of a sidecar in namespace <c>default</c>, fed as a control plane feeds it, and requests
/// from its application.</summary>
internal static class Outbound
{
    public static SidecarOptions Options { get; } = new() { XdsServers = ["http://127.0.0.1:15010"], Workload = "client" };

    /// <summary>A store that accepted <paramref name="resources"/>, one response each, in order.</summary>
    public static async Task<ConfigStore> Store(params IMessage[] resources)
    {
        var store = new ConfigStore(new NoClusters(), Options, NullLogger<ConfigStore>.Instance);
        foreach (var message in resources)
        {
            var any = Any.Pack(message);
            var (resource, error) = ResourceDecoder.Decode(any.TypeUrl, any, version: "1");
            Assert.Null(error);
            Assert.Null(await store.Apply(any.TypeUrl, [resource!], [], "1"));
        }
        return store;
    }

    /// <summary>An HTTP listener that takes its routes from RDS <paramref name="routes"/>, with the fault filter or not.</summary>
    public static Listener Listener(string name, string routes, bool fault = false)
    {
        var manager = new HttpConnectionManager { Rds = new Rds { RouteConfigName = routes } };
        if (fault) manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Fault });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Router });
        return new Listener { Name = name, ApiListener = new ApiListener { ApiListener_ = Any.Pack(manager) } };
    }

    /// <summary>A request the application sends to <paramref name="authority"/> for <paramref name="target"/>.</summary>
    public static DefaultHttpContext Request(string authority, string target = "/", string method = "GET")
    {
        var context = new DefaultHttpContext();
        var query = target.IndexOf('?');
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(authority);
        context.Request.Path = query < 0 ? target : target[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(target[query..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }

    private sealed class NoClusters : IClusterSync
    {
        public Task Apply(ProxyModel model) => Task.CompletedTask;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Tests.Config;
using Mesh.Xds.Resources;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;
using RbacAction = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>The inbound listener's filters across pushes: what a push does not change (the jwt_authn config, the RBAC
/// configs) keeps its compiled filter, so a remote JWKS already fetched is not fetched again.</summary>
public sealed class InboundHttpFiltersTests : IDisposable
{
    // Shared by the tests of this class (which run one at a time): an RSA key takes long to make on a small machine.
    private static readonly SigningKey Key = SigningKey.Rsa();
    private readonly JwksServer _jwks = new(SigningKey.Jwks(Key));

    [Fact]
    public async Task A_push_that_keeps_the_jwt_config_keeps_the_authenticator_and_its_fetched_keys()
    {
        var store = await Proxy.Outbound.Store(Inbound(audience: "shop", denied: "/admin"));
        var before = store.Current.Inbound!.Filters;
        Assert.True((await before.Jwt!.Authenticate(Request(Key.Sign(Claims())))).Allowed);
        Assert.Equal(1, _jwks.Fetches);

        Assert.Null(await Services.Push(store, "2", Services.Cluster(0)));
        Assert.Null(await Services.Push(store, "3", Inbound(audience: "shop", denied: "/internal")));
        var after = store.Current.Inbound!.Filters;
        Assert.True((await after.Jwt!.Authenticate(Request(Key.Sign(Claims())))).Allowed);

        Assert.Same(before.Jwt, after.Jwt);
        Assert.NotSame(before.Rbac, after.Rbac);
        Assert.Equal(1, _jwks.Fetches);
    }

    [Fact]
    public async Task A_changed_jwt_config_is_compiled_again_and_the_unchanged_rbac_is_kept()
    {
        var store = await Proxy.Outbound.Store(Inbound(audience: "shop", denied: "/admin"));
        var before = store.Current.Inbound!.Filters;
        await before.Jwt!.Authenticate(Request(Key.Sign(Claims())));

        Assert.Null(await Services.Push(store, "2", Inbound(audience: "shop-v2", denied: "/admin")));
        var after = store.Current.Inbound!.Filters;
        await after.Jwt!.Authenticate(Request(Key.Sign(Claims(("aud", "shop-v2")))));

        Assert.NotSame(before.Jwt, after.Jwt);
        Assert.Same(before.Rbac, after.Rbac);
        Assert.Equal(2, _jwks.Fetches);
    }

    public void Dispose() => _jwks.Dispose();

    /// <summary>The workload's inbound listener: tokens of the provider whose keys <see cref="_jwks"/> serves (for
    /// <paramref name="audience"/>), and a DENY policy on <paramref name="denied"/>.</summary>
    private Listener Inbound(string audience, string denied)
    {
        var provider = Provider("unused");
        provider.Audiences.Clear();
        provider.Audiences.Add(audience);
        provider.RemoteJwks = new RemoteJwks
        {
            HttpUri = new HttpUri { Uri = _jwks.Uri, Cluster = "outbound|80||keys", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
        };
        var manager = new HttpConnectionManager { RouteConfig = new Envoy.Config.Route.V3.RouteConfiguration() };
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.JwtAuthn, TypedConfig = Any.Pack(Istio(provider)) });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Rbac, TypedConfig = Any.Pack(Rbac.Filter(RbacAction.Deny, $$"""{"url_path": {"path": {"prefix": "{{denied}}" } } }""")) });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Router });
        return new Listener
        {
            Name = InboundListenerName.Of("default", "client"),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = EnvoyFilters.HttpConnectionManager, TypedConfig = Any.Pack(manager) } } } },
        };
    }

    /// <summary>A JWKS endpoint on loopback that counts the times it is fetched.</summary>
    private sealed class JwksServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _fetches;

        public JwksServer(string document)
        {
            var port = FreePorts.Next();
            Uri = $"http://127.0.0.1:{port}/jwks";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Serve(Encoding.UTF8.GetBytes(document));
        }

        public string Uri { get; }

        public int Fetches => Volatile.Read(ref _fetches);

        private async Task Serve(byte[] document)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref _fetches);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(document);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}

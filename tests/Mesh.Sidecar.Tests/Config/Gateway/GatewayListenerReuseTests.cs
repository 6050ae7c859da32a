using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Tests.Security;
using Mesh.Xds.Resources;
using static Mesh.Sidecar.Tests.Config.Gateway.GatewayResources;
using RbacAction = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Mesh.Sidecar.Tests.Config.Gateway;

/// <summary>A push that changes a gateway listener but not its jwt_authn config keeps the JWT authenticator (and the
/// JWKS it fetched from the jwksUri), as a sidecar's inbound listener does.</summary>
public sealed class GatewayListenerReuseTests
{
    [Fact]
    public void A_push_that_keeps_the_jwt_config_keeps_the_gateways_authenticator()
    {
        var (before, errors) = Compile(Gateway(denied: "/admin"));
        Assert.Empty(errors);

        var (after, pushErrors) = Push(before!, Gateway(denied: "/internal"));

        Assert.Empty(pushErrors);
        var (old, current) = (Security(before!), Security(after!));
        Assert.NotNull(current.Jwt);
        Assert.Same(old.Jwt, current.Jwt);
        Assert.NotSame(old.Rbac, current.Rbac);
    }

    [Fact]
    public void A_changed_jwt_config_is_compiled_again()
    {
        var (before, _) = Compile(Gateway(denied: "/admin"));

        var (after, errors) = Push(before!, Gateway(denied: "/admin", audience: "shop-v2"));

        Assert.Empty(errors);
        Assert.NotSame(Security(before!).Jwt, Security(after!).Jwt);
        Assert.Same(Security(before!).Rbac, Security(after!).Rbac);
    }

    private static Mesh.Sidecar.Security.InboundHttpFilters Security(ProxyModel model) =>
        Assert.Single(model.Gateways[Name].Chains).Security!.Filters;

    private static (ProxyModel? Model, IReadOnlyList<string> Errors) Push(ProxyModel previous, Listener listener)
    {
        var resources = ResourceSet.Empty.With(TypeUrls.Listener, [new ReceivedResource(listener.Name, "2", listener)], [], "2");
        return ModelCompiler.Compile(previous, resources, TypeUrls.Listener, [listener.Name]);
    }

    /// <summary>A gateway listener whose connection manager authenticates tokens whose keys come from a jwksUri (never
    /// fetched here: the test is about which authenticator instance the model holds) and denies a path.</summary>
    private static Listener Gateway(string denied, string audience = "shop")
    {
        var provider = JwtConfigs.Provider("unused");
        provider.Audiences.Clear();
        provider.Audiences.Add(audience);
        provider.RemoteJwks = new RemoteJwks
        {
            HttpUri = new HttpUri { Uri = "http://127.0.0.1:9/jwks", Cluster = "outbound|80||keys", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
        };
        var manager = new HttpConnectionManager { StatPrefix = "gw", Rds = new Rds { RouteConfigName = Name } };
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.JwtAuthn, TypedConfig = Any.Pack(JwtConfigs.Istio(provider)) });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Rbac, TypedConfig = Any.Pack(Rbac.Filter(RbacAction.Deny, $$"""{"url_path": {"path": {"prefix": "{{denied}}" } } }""")) });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Router });
        var listener = Listener("", inspector: false);
        listener.FilterChains.Add(new FilterChain { Filters = { new Filter { Name = EnvoyFilters.HttpConnectionManager, TypedConfig = Any.Pack(manager) } } });
        return listener;
    }
}

using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.Gateways;

/// <summary>One gateway resource, keyed by its resource key (<c>Gateway/istio-system/ingress</c>): its spec and the
/// routes bound to it (VirtualServices naming it in <c>gateways:</c>); tells subscribed silos of changes. The
/// specs are kept by key and kind, so a second source (the Gateway API) binds its own kinds the same way.</summary>
[Alias("mesh.IGatewayGrain")]
public interface IGatewayGrain : ISubscribable<IGatewayObserver>
{
    [Alias("SetGateway")] Task SetGateway(ConfigSpec gateway);
    [Alias("RemoveGateway")] Task RemoveGateway();
    /// <summary>A route that names this gateway, with its whole spec.</summary>
    [Alias("SetRoute")] Task SetRoute(ConfigSpec route);
    [Alias("RemoveRoute")] Task RemoveRoute(string routeKey);
    /// <summary>Replaces the spec and every route at once (a converted Gateway API Gateway, whose routes are derived
    /// together): one write and one notification. A null gateway with no routes clears the grain.</summary>
    [Alias("Bind")] Task Bind(ConfigSpec? gateway, List<ConfigSpec> routes);
    [Alias("GetModel")] Task<GatewayModel> GetModel();
}

/// <summary>Told when a gateway resource or one of its routes changes; one subscription per silo and gateway.</summary>
[Alias("mesh.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay, Alias("OnGatewayChanged")] Task OnGatewayChanged(GatewayModel model);
}

/// <summary>What the xDS translation needs of a gateway: its spec (null while only routes name it) and its bound
/// routes, ordered by key.</summary>
[GenerateSerializer, Immutable, Alias("mesh.GatewayModel")]
public sealed record GatewayModel(
    [property: Id(0)] string Key,
    [property: Id(1)] ConfigSpec? Gateway,
    [property: Id(2)] List<ConfigSpec> Routes,
    [property: Id(3)] DateTimeOffset ChangedAt);

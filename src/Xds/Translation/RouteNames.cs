using Mesh.Config.Keys;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Xds.Translation;

/// <summary>The name of the Envoy routes an Istio <c>HTTPRoute</c> becomes (Envoy's <c>route.name</c>, the
/// <c>route_name</c> of access logs and of a gateway's metrics): its own <c>name</c>, else
/// <c>NAMESPACE.VIRTUALSERVICE.INDEX</c>, the shape the Gateway API conversion gives its rules
/// (<c>NAMESPACE.HTTPROUTE.RULE.MATCH</c>). Names come from config only, so a metric labelled by them stays bounded.</summary>
public static class RouteNames
{
    /// <param name="virtualService">The VirtualService's resource key; empty when unknown (then the name is the route's own).</param>
    /// <param name="index">The route's position in the VirtualService's <c>http</c> list.</param>
    public static string Of(HttpRoute http, string virtualService, int index)
    {
        if (http.Name.Length > 0 || virtualService.Length == 0) return http.Name;
        var key = ResourceKey.Parse(virtualService);
        return $"{key.Namespace}.{key.Name}.{index}";
    }
}

using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Mesh.Config.Views.VirtualServices;
using ResponseCode = Envoy.Config.Route.V3.RedirectAction.Types.RedirectResponseCode;

namespace Mesh.Xds.Translation;

/// <summary>Istio's <c>redirect</c> and <c>directResponse</c> as Envoy's own route actions, for gateways: their clients
/// are proxies, which answer them (a sidecar's routes reach proxyless gRPC clients too, which accept only forwarding
/// routes, so there they stay fault aborts).</summary>
internal static class LocalReplyTranslator
{
    /// <summary>Sets the route's redirect or direct response; false when the HTTP route has neither.</summary>
    public static bool Apply(Route route, HttpRoute http)
    {
        if (http.Redirect is { } redirect)
        {
            route.Redirect = Redirect(redirect);
            return true;
        }
        if (http.DirectResponse is not { } direct) return false;
        route.DirectResponse = new DirectResponseAction { Status = (uint)direct.Status };
        if (direct.BodyString is { } text) route.DirectResponse.Body = new DataSource { InlineString = text };
        else if (direct.BodyBase64 is { } bytes) route.DirectResponse.Body = new DataSource { InlineBytes = Google.Protobuf.ByteString.FromBase64(bytes) };
        return true;
    }

    /// <summary>Each part the redirect leaves out is the request's own; the port stays only when neither scheme nor host
    /// changes (Envoy's rule, and the Gateway API's "well-known port" for a scheme change).</summary>
    private static RedirectAction Redirect(HttpRedirect redirect)
    {
        var action = new RedirectAction
        {
            ResponseCode = redirect.RedirectCode switch
            {
                302 => ResponseCode.Found,
                303 => ResponseCode.SeeOther,
                307 => ResponseCode.TemporaryRedirect,
                308 => ResponseCode.PermanentRedirect,
                _ => ResponseCode.MovedPermanently,
            },
        };
        if (redirect.Scheme is { } scheme) action.SchemeRedirect = scheme;
        if (redirect.Authority is { } host) action.HostRedirect = host;
        if (redirect.Port is { } port) action.PortRedirect = (uint)port;
        if (redirect.Uri is { } path) action.PathRedirect = path;
        return action;
    }
}

using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>A route's CORS policy, as Envoy's CORS filter applies it: a preflight (OPTIONS with an <c>Origin</c> and
/// an <c>Access-Control-Request-Method</c>) from an allowed origin is answered here; any other request from an
/// allowed origin gets <c>access-control-allow-origin</c> (and credentials, exposed headers) on its response,
/// whoever makes it (the upstream or a local reply). A request from another origin is not touched.</summary>
public static class CorsEnforcement
{
    /// <summary>True when the request was answered here (a preflight).</summary>
    public static bool Apply(HttpContext context, CorsPolicyModel policy)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || !policy.Enabled.Roll(Random.Shared.NextDouble())) return false;
        var preflight = HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.ToString().Length > 0;
        if (!policy.Allows(origin))
        {
            if (!preflight || policy.ForwardNotMatchingPreflights) return false;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
            return true;
        }
        if (preflight)
        {
            AnswerPreflight(context, policy, origin);
            return true;
        }
        context.Response.OnStarting(static state =>
        {
            var (response, policy, origin) = ((HttpResponse, CorsPolicyModel, string))state;
            var headers = response.Headers;
            headers.AccessControlAllowOrigin = origin;
            if (policy.AllowCredentials) headers.AccessControlAllowCredentials = "true";
            if (policy.ExposeHeaders is { } expose) headers.AccessControlExposeHeaders = expose;
            return Task.CompletedTask;
        }, (context.Response, policy, origin));
        return false;
    }

    private static void AnswerPreflight(HttpContext context, CorsPolicyModel policy, string origin)
    {
        var response = context.Response;
        var headers = response.Headers;
        response.StatusCode = StatusCodes.Status200OK;
        headers.AccessControlAllowOrigin = origin;
        if (policy.AllowCredentials) headers.AccessControlAllowCredentials = "true";
        if (policy.AllowMethods is { } methods) headers.AccessControlAllowMethods = methods;
        if (policy.AllowHeaders is { } allowed) headers.AccessControlAllowHeaders = allowed;
        if (policy.MaxAge is { } maxAge) headers.AccessControlMaxAge = maxAge;
        if (policy.AllowPrivateNetworkAccess && string.Equals(context.Request.Headers["access-control-request-private-network"], "true", StringComparison.OrdinalIgnoreCase))
        {
            headers["access-control-allow-private-network"] = "true";
        }
        response.ContentLength = 0;
    }
}

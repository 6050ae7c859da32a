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
        var allowed = policy.Allows(origin);
        if (preflight && (allowed || !policy.ForwardNotMatchingPreflights))
        {
            // Envoy answers a preflight it does not forward with the policy's headers; only an allowed origin is named.
            AnswerPreflight(context, policy, allowed ? origin : null);
            return true;
        }
        if (!allowed) return false;
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

    /// <summary>A <c>*</c> in allow_methods or allow_headers answers with what the preflight asked for, as Envoy does.</summary>
    private static void AnswerPreflight(HttpContext context, CorsPolicyModel policy, string? origin)
    {
        var response = context.Response;
        var headers = response.Headers;
        var request = context.Request.Headers;
        response.StatusCode = StatusCodes.Status200OK;
        if (origin is not null) headers.AccessControlAllowOrigin = origin;
        if (policy.AllowCredentials) headers.AccessControlAllowCredentials = "true";
        if (policy.AllowMethods is { } methods) headers.AccessControlAllowMethods = methods == "*" ? request.AccessControlRequestMethod : methods;
        if (policy.AllowHeaders is { } allowed) headers.AccessControlAllowHeaders = allowed == "*" ? request.AccessControlRequestHeaders : allowed;
        if (policy.MaxAge is { } maxAge) headers.AccessControlMaxAge = maxAge;
        if (policy.AllowPrivateNetworkAccess && string.Equals(context.Request.Headers["access-control-request-private-network"], "true", StringComparison.OrdinalIgnoreCase))
        {
            headers["access-control-allow-private-network"] = "true";
        }
        response.ContentLength = 0;
    }
}

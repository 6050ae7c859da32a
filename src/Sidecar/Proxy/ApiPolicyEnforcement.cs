using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy.RateLimits;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Sidecar.Proxy;

/// <summary>A gateway route's ApiPolicy, checked before the request is forwarded, in the order of an Envoy filter
/// chain: the IP lists (403), the API key (401; its consumer then goes to the access log, the metrics and upstream as
/// <c>x-mesh-consumer</c>), the body size (413), then each limit that applies (429 with Envoy's <c>x-ratelimit-*</c>
/// headers, <c>RESOURCE_EXHAUSTED</c> for gRPC; an admitted request gets the same headers on its response).</summary>
public sealed class ApiPolicyEnforcement(RateLimiter limiter)
{
    /// <summary>gRPC's RESOURCE_EXHAUSTED, as Envoy answers a rate-limited gRPC request with
    /// <c>rate_limited_as_resource_exhausted</c>.</summary>
    private const int ResourceExhausted = 8;

    /// <summary>True when the request may go on; false when it was answered here.</summary>
    public async ValueTask<bool> Admit(HttpContext context, ApiPolicyModel policy)
    {
        var request = context.Request;
        IPAddress? client = null;
        if (policy.IpAccess is { } access && access.Denies(client = Client(context, policy)))
        {
            await LocalReply.Send(context, 403, "RBAC: access denied", "RBAC");
            return false;
        }
        string? consumer = null;
        if (policy.ApiKeys is { } keys)
        {
            consumer = Consumer(request, keys);
            if (consumer is null)
            {
                await LocalReply.Send(context, 401, "API key missing or not valid", "UAEX",
                    headers: new Dictionary<string, string> { ["www-authenticate"] = $"ApiKey {(keys.InQuery ? "query" : "header")}=\"{keys.Name}\"" });
                return false;
            }
            context.Items[RequestItems.Consumer] = consumer;
            request.Headers[ApiPolicyFilters.ConsumerHeader] = consumer;
        }
        if (policy.MaxRequestBodyBytes is { } max)
        {
            if (request.ContentLength > max)
            {
                await LocalReply.Send(context, 413, "Payload Too Large", "-");
                return false;
            }
            // A body of unknown length is cut off by Kestrel past the limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = max;
        }
        RateLimitDecision? shown = null;
        foreach (var limit in policy.RateLimits)
        {
            if (!limit.Applies(request) || KeyOf(limit, context, policy, ref client, consumer) is not { } key) continue;
            var decision = limiter.Take(limit, key);
            if (!decision.Admitted)
            {
                await LocalReply.Send(context, 429, "local_rate_limited", "RL", ResourceExhausted,
                    new Dictionary<string, string>(RateLimitHeaders(decision)) { ["x-envoy-ratelimited"] = "true" });
                return false;
            }
            if (shown is not { } known || decision.Remaining < known.Remaining) shown = decision;
        }
        // Envoy (enable_x_ratelimit_headers: DRAFT_VERSION_03) puts the headers on every response of a request a
        // bucket counted, not only on 429s; with several limits, the one closest to refusing is shown.
        if (shown is { } admitted)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, decision) = ((HttpResponse, RateLimitDecision))state;
                foreach (var (name, value) in RateLimitHeaders(decision)) response.Headers.Append(name, value);
                return Task.CompletedTask;
            }, (context.Response, admitted));
        }
        return true;
    }

    private static KeyValuePair<string, string>[] RateLimitHeaders(RateLimitDecision decision) =>
    [
        new("x-ratelimit-limit", decision.Limit.ToString(CultureInfo.InvariantCulture)),
        new("x-ratelimit-remaining", decision.Remaining.ToString(CultureInfo.InvariantCulture)),
        new("x-ratelimit-reset", decision.ResetSeconds.ToString(CultureInfo.InvariantCulture)),
    ];

    private static IPAddress? Client(HttpContext context, ApiPolicyModel policy) =>
        policy.ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["x-forwarded-for"]);

    /// <summary>The consumer whose key the request carries, by the key's SHA-256; null for none or an unknown key.</summary>
    public static string? Consumer(HttpRequest request, ApiKeyCheck keys)
    {
        var sent = keys.InQuery ? request.Query[keys.Name] : request.Headers[keys.Name];
        if (sent.Count != 1 || sent[0] is not { Length: > 0 and <= 4096 } key) return null;
        Span<byte> hash = stackalloc byte[32];
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        return keys.ConsumersByHash.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(Hex(hash, stackalloc char[64]), out var consumer) ? consumer : null;
    }

    private static ReadOnlySpan<char> Hex(ReadOnlySpan<byte> bytes, Span<char> into)
    {
        Convert.TryToHexStringLower(bytes, into, out var written);
        return into[..written];
    }

    /// <summary>The value a limit counts by; null when the request has none (as Envoy, the limit then does not apply).</summary>
    private static string? KeyOf(RateLimitModel limit, HttpContext context, ApiPolicyModel policy, ref IPAddress? client, string? consumer) => limit.Key switch
    {
        RateLimitKey.None => "",
        RateLimitKey.ClientIp => (client ??= Client(context, policy))?.ToString(),
        RateLimitKey.Header => context.Request.Headers[limit.KeyName!] is { Count: > 0 } value ? value.ToString() : null,
        RateLimitKey.JwtClaim => VerifiedClaims.Claim(context, limit.KeyName!),
        RateLimitKey.Consumer => consumer,
        _ => null,
    };
}

using System.Net;
using System.Text.Json.Nodes;

namespace Mesh.Samples.Bookinfo;

/// <summary>Calls to the other bookinfo services. With <c>HTTP_PROXY</c> set they go to the sidecar as an explicit HTTP
/// proxy (the request line carries <c>http://reviews:9080/...</c>, which the sidecar routes); without it, straight to
/// <c>BOOKINFO_REVIEWS_URL</c> / <c>BOOKINFO_RATINGS_URL</c>. The headers Istio's bookinfo forwards are forwarded;
/// W3C <c>traceparent</c> is added by HttpClient from the current Activity.</summary>
public sealed class Downstream(HttpClient client, Func<string, string?> environment)
{
    public const string VersionHeader = "x-bookinfo-version";

    private static readonly string[] PropagatedHeaders = ["end-user", "x-request-id", "cookie", "user-agent"];

    public string ReviewsUrl { get; } = environment("BOOKINFO_REVIEWS_URL") ?? "http://reviews:9080";

    public string RatingsUrl { get; } = environment("BOOKINFO_RATINGS_URL") ?? "http://ratings:9080";

    public static HttpClient CreateClient(string? proxy)
    {
        var handler = new HttpClientHandler
        {
            UseCookies = false, // the incoming cookie header is forwarded as it is
            UseProxy = !string.IsNullOrEmpty(proxy),
            Proxy = string.IsNullOrEmpty(proxy) ? null : new WebProxy(proxy),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>GETs <paramref name="url"/> on behalf of <paramref name="incoming"/>; never throws for a failed call.</summary>
    public async Task<DownstreamResult> GetJsonAsync(string service, string url, HttpRequest incoming, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var name in PropagatedHeaders)
        {
            if (incoming.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }
        try
        {
            using var response = await client.SendAsync(request, cancellation);
            if (!response.IsSuccessStatusCode)
            {
                return DownstreamResult.Failed(service, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var body = await response.Content.ReadAsStringAsync(cancellation);
            return JsonNode.Parse(body) is JsonObject json
                ? new DownstreamResult(service, json, response.Headers.TryGetValues(VersionHeader, out var v) ? v.FirstOrDefault() : null, null)
                : DownstreamResult.Failed(service, "not JSON");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return DownstreamResult.Failed(service, "timeout");
        }
        catch (HttpRequestException e)
        {
            return DownstreamResult.Failed(service, e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "connection error",
                HttpRequestError.NameResolutionError => "name resolution error",
                HttpRequestError.ProxyTunnelError => "proxy error",
                _ => e.Message,
            });
        }
        catch (System.Text.Json.JsonException)
        {
            return DownstreamResult.Failed(service, "not JSON");
        }
    }
}

/// <summary>A downstream answer: its JSON and the version that served it, or why there is none.</summary>
public sealed record DownstreamResult(string Service, JsonObject? Body, string? Version, string? Error)
{
    public static DownstreamResult Failed(string service, string error) => new(service, null, null, error);

    /// <summary><c>reviews unavailable (503)</c>.</summary>
    public string Problem => $"{Service} unavailable ({Error})";
}

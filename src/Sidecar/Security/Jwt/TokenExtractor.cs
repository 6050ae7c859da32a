using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Finds tokens in a request at the locations of one or more providers, Envoy's way: headers first (in
/// name order), then query parameters, then cookies; a provider naming no location uses
/// <c>Authorization: Bearer</c> and the <c>access_token</c> parameter.</summary>
internal sealed class TokenExtractor
{
    private static readonly SearchValues<char> Base64UrlAndDot =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly SortedDictionary<string, (string Header, string Prefix, IssuerChecker Issuers)> _headers = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IssuerChecker> _params = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IssuerChecker> _cookies = new(StringComparer.Ordinal);
    private readonly string[] _ownHeaders;

    public TokenExtractor(IEnumerable<Provider> providers)
    {
        var own = new List<string>();
        foreach (var provider in providers)
        {
            foreach (var (header, prefix) in provider.FromHeaders) AddHeader(provider.Issuer, header, prefix);
            foreach (var param in provider.FromParams) Checker(_params, param).Add(provider.Issuer);
            foreach (var cookie in provider.FromCookies) Checker(_cookies, cookie).Add(provider.Issuer);
            if (provider.FromHeaders.Length == 0 && provider.FromParams.Length == 0 && provider.FromCookies.Length == 0)
            {
                AddHeader(provider.Issuer, "authorization", "Bearer ");
                Checker(_params, "access_token").Add(provider.Issuer);
            }
            own.AddRange(provider.OwnHeaders);
        }
        _ownHeaders = [.. own.Distinct()];
    }

    /// <summary>Removes the headers these providers set on success, so that only they can set them.</summary>
    public void Sanitize(HttpRequest request)
    {
        foreach (var header in _ownHeaders) request.Headers.Remove(header);
    }

    public List<ExtractedToken> Extract(HttpRequest request)
    {
        var tokens = new List<ExtractedToken>();
        foreach (var (header, prefix, issuers) in _headers.Values)
        {
            var values = request.Headers[header];
            if (values.Count == 0) continue;
            var value = values.Count == 1 ? values[0] ?? "" : string.Join(',', values.ToArray());
            if (prefix.Length > 0)
            {
                var at = value.IndexOf(prefix, StringComparison.Ordinal);
                if (at < 0) continue;
                value = TokenAfter(value, at + prefix.Length);
            }
            tokens.Add(new ExtractedToken(value, TokenPlace.Header, header, issuers));
        }
        if (_params.Count > 0)
        {
            foreach (var (param, issuers) in _params)
            {
                if (request.Query.TryGetValue(param, out var values) && values.Count > 0)
                {
                    tokens.Add(new ExtractedToken(values[0] ?? "", TokenPlace.Param, param, issuers));
                }
            }
        }
        foreach (var (cookie, issuers) in _cookies)
        {
            if (request.Cookies.TryGetValue(cookie, out var value)) tokens.Add(new ExtractedToken(value, TokenPlace.Cookie, cookie, issuers));
        }
        return tokens;
    }

    /// <summary>The run of base64url characters and dots that starts at or after <paramref name="from"/>, or the
    /// whole value when there is none (Envoy's leniency, kept for the same answers).</summary>
    private static string TokenAfter(string value, int from)
    {
        var start = value.AsSpan(from).IndexOfAny(Base64UrlAndDot);
        if (start < 0) return value;
        start += from;
        var length = value.AsSpan(start).IndexOfAnyExcept(Base64UrlAndDot);
        return length < 0 ? value[start..] : value.Substring(start, length);
    }

    private void AddHeader(string issuer, string header, string prefix)
    {
        var key = header + prefix;
        if (!_headers.TryGetValue(key, out var location))
        {
            location = (header, prefix, new IssuerChecker());
            _headers[key] = location;
        }
        location.Issuers.Add(issuer);
    }

    private static IssuerChecker Checker(SortedDictionary<string, IssuerChecker> locations, string name)
    {
        if (!locations.TryGetValue(name, out var checker)) locations[name] = checker = new IssuerChecker();
        return checker;
    }
}

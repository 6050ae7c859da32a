using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>A compiled <c>JwtProvider</c>: who issues the tokens, where they are found, which keys verify them and
/// what a verified token leaves behind (headers, metadata). Immutable, except the remote JWKS cache.</summary>
internal sealed class Provider
{
    /// <summary>Envoy's cache_duration when none is configured.</summary>
    private static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromMinutes(10);

    private Provider(string name, JwtProvider config, KeySource keys)
    {
        Name = name;
        Issuer = config.Issuer;
        Audiences = new AudienceCheck(config.Audiences);
        Keys = keys;
        Forward = config.Forward;
        FromHeaders = config.FromHeaders.Select(header => (header.Name.ToLowerInvariant(), header.ValuePrefix)).ToArray();
        FromParams = [.. config.FromParams];
        FromCookies = [.. config.FromCookies];
        ForwardPayloadHeader = config.ForwardPayloadHeader.Length > 0 ? config.ForwardPayloadHeader.ToLowerInvariant() : null;
        PadForwardPayloadHeader = config.PadForwardPayloadHeader;
        PayloadInMetadata = config.PayloadInMetadata.Length > 0 ? config.PayloadInMetadata : null;
        HeaderInMetadata = config.HeaderInMetadata.Length > 0 ? config.HeaderInMetadata : null;
        SpaceDelimitedClaims = config.NormalizePayloadInMetadata is { } normalize ? [.. normalize.SpaceDelimitedClaims] : [];
        ClockSkewSeconds = config.ClockSkewSeconds > 0 ? config.ClockSkewSeconds : 60;
        ClaimToHeaders = config.ClaimToHeaders.Select(c => (c.HeaderName.ToLowerInvariant(), c.ClaimName)).ToArray();
        ClearRouteCache = config.ClearRouteCache;
    }

    public string Name { get; }

    /// <summary>The issuer tokens must carry; empty accepts any issuer.</summary>
    public string Issuer { get; }

    public AudienceCheck Audiences { get; }

    public KeySource Keys { get; }

    public bool Forward { get; }

    public (string Name, string ValuePrefix)[] FromHeaders { get; }

    public string[] FromParams { get; }

    public string[] FromCookies { get; }

    public string? ForwardPayloadHeader { get; }

    public bool PadForwardPayloadHeader { get; }

    public string? PayloadInMetadata { get; }

    public string? HeaderInMetadata { get; }

    public string[] SpaceDelimitedClaims { get; }

    public uint ClockSkewSeconds { get; }

    public (string Header, string Claim)[] ClaimToHeaders { get; }

    public bool ClearRouteCache { get; }

    /// <summary>Headers only this provider may set: removed from every request before verification, so a client
    /// cannot forge them.</summary>
    public IEnumerable<string> OwnHeaders
        => ClaimToHeaders.Select(c => c.Header).Concat(ForwardPayloadHeader is null ? [] : [ForwardPayloadHeader]);

    public static Provider Compile(string name, JwtProvider config, JwtAuthenticatorOptions options)
    {
        var field = $"providers[\"{name}\"]";
        if (config.Subjects is not null) throw new JwtCompileException($"{field}.subjects", "subject matching is not supported");
        if (config.RequireExpiration) throw new JwtCompileException($"{field}.require_expiration", "is not supported");
        if (config.MaxLifetime is not null) throw new JwtCompileException($"{field}.max_lifetime", "is not supported");
        if (config.FailedStatusInMetadata.Length > 0) throw new JwtCompileException($"{field}.failed_status_in_metadata", "is not supported");
        for (var i = 0; i < config.FromHeaders.Count; i++)
        {
            if (config.FromHeaders[i].Name.Length == 0) throw new JwtCompileException($"{field}.from_headers[{i}].name", "must not be empty");
        }
        if (config.ForwardPayloadHeader.Length > 0 && Mesh.Config.Validation.Rules.Http.WritableHeaderName(config.ForwardPayloadHeader) is { } payloadProblem)
        {
            throw new JwtCompileException($"{field}.forward_payload_header", payloadProblem);
        }
        for (var i = 0; i < config.ClaimToHeaders.Count; i++)
        {
            var claim = config.ClaimToHeaders[i];
            if (Mesh.Config.Validation.Rules.Http.WritableHeaderName(claim.HeaderName) is { } problem) throw new JwtCompileException($"{field}.claim_to_headers[{i}].header_name", problem);
            if (claim.ClaimName.Length == 0) throw new JwtCompileException($"{field}.claim_to_headers[{i}].claim_name", "must not be empty");
        }
        return new Provider(name, config, KeysOf(config, field, options));
    }

    private static KeySource KeysOf(JwtProvider config, string field, JwtAuthenticatorOptions options)
    {
        switch (config.JwksSourceSpecifierCase)
        {
            case JwtProvider.JwksSourceSpecifierOneofCase.LocalJwks:
                var local = config.LocalJwks;
                var json = local.SpecifierCase switch
                {
                    DataSource.SpecifierOneofCase.InlineString => local.InlineString,
                    DataSource.SpecifierOneofCase.InlineBytes => Encoding.UTF8.GetString(local.InlineBytes.Span),
                    _ => throw new JwtCompileException($"{field}.local_jwks", $"{local.SpecifierCase} is not supported; inline the JWKS (inline_string)"),
                };
                return new LocalKeySource(JwksKeys.Parse(json));
            case JwtProvider.JwksSourceSpecifierOneofCase.RemoteJwks:
                var remote = config.RemoteJwks;
                if (remote.HttpUri is null) throw new JwtCompileException($"{field}.remote_jwks.http_uri", "is required");
                if (!Uri.TryCreate(remote.HttpUri.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new JwtCompileException($"{field}.remote_jwks.http_uri.uri", $"\"{remote.HttpUri.Uri}\" is not an http(s) URL");
                }
                var fetch = options.FetchJwks
                    ?? throw new JwtCompileException($"{field}.remote_jwks", "no JWKS fetcher was given (JwtAuthenticatorOptions.FetchJwks)");
                var cache = Config.DurationBounds.Wait(Duration(remote.CacheDuration, $"{field}.remote_jwks.cache_duration") ?? DefaultCacheDuration);
                return new RemoteKeySource(uri, cache, Config.DurationBounds.Timeout(Duration(remote.HttpUri.Timeout, $"{field}.remote_jwks.http_uri.timeout")), fetch, options.Time);
            default:
                throw new JwtCompileException(field, "needs local_jwks or remote_jwks");
        }
    }

    private static TimeSpan? Duration(Google.Protobuf.WellKnownTypes.Duration? duration, string field)
        => Config.DurationBounds.Read(duration, out var problem) is var value && problem is null ? value : throw new JwtCompileException(field, problem);
}

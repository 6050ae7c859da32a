using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Mesh.Config.Views.Security;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace Mesh.Xds.Translation.Security;

/// <summary>One Istio <c>JWTRule</c> → an Envoy JWT provider.</summary>
internal static class JwtProviderTranslator
{
    public static readonly Duration FetchTimeout = ProtoValues.FromMillis(5_000);
    public static readonly Duration CacheDuration = ProtoValues.FromMillis(5 * 60 * 1_000);

    /// <summary>A key set with no keys: every token of the issuer fails validation.</summary>
    public const string NoKeys = """{"keys":[]}""";

    /// <summary>The validated payload goes to dynamic metadata under the issuer, where the sidecar reads it to fill
    /// <c>istio_authn</c> (<see cref="AuthnMetadata"/>).</summary>
    public static JwtProvider Translate(JwtRule rule, ICollection<string> warnings)
    {
        var provider = new JwtProvider
        {
            Issuer = rule.Issuer,
            Forward = rule.ForwardOriginalToken,
            ForwardPayloadHeader = rule.OutputPayloadToHeader ?? "",
            PayloadInMetadata = rule.Issuer,
        };
        provider.Audiences.AddRange(rule.Audiences);
        provider.FromParams.AddRange(rule.FromParams);
        provider.FromCookies.AddRange(rule.FromCookies);
        provider.FromHeaders.AddRange(rule.FromHeaders.Select(h => new Envoy.Extensions.Filters.Http.JwtAuthn.V3.JwtHeader { Name = h.Name, ValuePrefix = h.Prefix }));
        provider.ClaimToHeaders.AddRange(rule.OutputClaimToHeaders.Select(c => new JwtClaimToHeader { HeaderName = c.Header, ClaimName = c.Claim }));
        SetKeys(provider, rule, warnings);
        return provider;
    }

    private static void SetKeys(JwtProvider provider, JwtRule rule, ICollection<string> warnings)
    {
        if (rule.Jwks is { } inline)
        {
            provider.LocalJwks = new DataSource { InlineString = inline };
        }
        else if (rule.JwksUri is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            provider.RemoteJwks = new RemoteJwks
            {
                HttpUri = new HttpUri { Uri = uri, Cluster = parsed.Host, Timeout = ProtoValues.Duration(rule.TimeoutNanos) ?? FetchTimeout },
                CacheDuration = CacheDuration,
            };
        }
        else
        {
            // Istio would find the keys by OpenID discovery from the issuer; a pure translation cannot fetch, and a
            // provider without keys must reject this issuer's tokens rather than trust them.
            warnings.Add($"JWT issuer \"{provider.Issuer}\" has no jwks or usable jwksUri and OpenID discovery is not supported; its tokens are rejected");
            provider.LocalJwks = new DataSource { InlineString = NoKeys };
        }
    }
}

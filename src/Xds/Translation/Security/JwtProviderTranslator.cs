using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
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
    public static JwtProvider Translate(JsonObject rule, ICollection<string> warnings)
    {
        var issuer = rule.Str("issuer") ?? "";
        var provider = new JwtProvider
        {
            Issuer = issuer,
            Forward = rule.Bool("forwardOriginalToken") ?? false,
            ForwardPayloadHeader = rule.Str("outputPayloadToHeader") ?? "",
            PayloadInMetadata = issuer,
        };
        provider.Audiences.AddRange(rule.Strings("audiences"));
        provider.FromParams.AddRange(rule.Strings("fromParams"));
        provider.FromCookies.AddRange(rule.Strings("fromCookies"));
        provider.FromHeaders.AddRange(rule.Objects("fromHeaders").Select(
            h => new JwtHeader { Name = h.Str("name") ?? "", ValuePrefix = h.Str("prefix") ?? "" }));
        provider.ClaimToHeaders.AddRange(rule.Objects("outputClaimToHeaders").Select(
            c => new JwtClaimToHeader { HeaderName = c.Str("header") ?? "", ClaimName = c.Str("claim") ?? "" }));
        SetKeys(provider, rule, warnings);
        return provider;
    }

    private static void SetKeys(JwtProvider provider, JsonObject rule, ICollection<string> warnings)
    {
        if (rule.Str("jwks") is { } inline)
        {
            provider.LocalJwks = new DataSource { InlineString = inline };
        }
        else if (rule.Str("jwksUri") is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            provider.RemoteJwks = new RemoteJwks
            {
                HttpUri = new HttpUri { Uri = uri, Cluster = parsed.Host, Timeout = ProtoValues.Duration(rule.Str("timeout")) ?? FetchTimeout },
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

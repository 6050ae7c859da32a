using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>jwt_authn configs the way Istio's RequestAuthentication translates to them, and requests carrying
/// tokens.</summary>
internal static class JwtConfigs
{
    public const string Issuer = "https://issuer.example.com";
    public const string ProviderName = "origins-0";

    public static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static JwtProvider Provider(string jwks) => new()
    {
        Issuer = Issuer,
        Audiences = { "shop" },
        LocalJwks = new DataSource { InlineString = jwks },
        PayloadInMetadata = Issuer,
        Forward = true,
    };

    /// <summary>Istio's shape: for every path, a token of the provider, or no token at all.</summary>
    public static JwtAuthentication Istio(JwtProvider provider)
        => Requiring(provider, new JwtRequirement
        {
            RequiresAny = new JwtRequirementOrList { Requirements = { new JwtRequirement { ProviderName = ProviderName }, new JwtRequirement { AllowMissing = new Empty() } } },
        });

    public static JwtAuthentication Requiring(JwtProvider provider, JwtRequirement requirement, string prefix = "/") => new()
    {
        Providers = { [ProviderName] = provider },
        Rules = { new RequirementRule { Match = new RouteMatch { Prefix = prefix }, Requires = requirement } },
    };

    /// <summary>Claims of a token that is valid at <see cref="Now"/>, plus or overriding <paramref name="extra"/>.</summary>
    public static Dictionary<string, object?> Claims(params (string Name, object? Value)[] extra)
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["sub"] = "alice",
            ["aud"] = "shop",
            ["iat"] = Now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = Now.AddHours(1).ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in extra)
        {
            if (value is null) claims.Remove(name);
            else claims[name] = value;
        }
        return claims;
    }

    public static HttpRequest Request(string? bearer = null, string path = "/v1/items", string query = "")
    {
        var context = TestRequests.Context();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (bearer is not null) context.Request.Headers.Authorization = $"Bearer {bearer}";
        return context.Request;
    }
}

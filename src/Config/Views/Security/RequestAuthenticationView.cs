using System.Text.Json.Nodes;

namespace Mesh.Config.Views.Security;

/// <summary>A validated RequestAuthentication, read once: the workloads it applies to and the JWT issuers it accepts.</summary>
public sealed record RequestAuthenticationView(WorkloadSelection Selection, IReadOnlyList<JwtRule> JwtRules)
{
    /// <summary>Reads a spec that passed validation.</summary>
    public static RequestAuthenticationView From(JsonObject spec)
        => new(WorkloadSelection.From(spec), [.. spec.Objects("jwtRules").Select(JwtRule.From)]);
}

/// <summary>Istio's <c>JWTRule</c>: an issuer, where its keys are (inline <see cref="Jwks"/> or <see cref="JwksUri"/>),
/// where a token is read from, and what is passed on.</summary>
public sealed record JwtRule
{
    public string Issuer { get; init; } = "";
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public string? Jwks { get; init; }
    public string? JwksUri { get; init; }
    /// <summary>How long fetching <see cref="JwksUri"/> may take; null: the default.</summary>
    public long? TimeoutNanos { get; init; }
    public IReadOnlyList<JwtHeader> FromHeaders { get; init; } = [];
    public IReadOnlyList<string> FromParams { get; init; } = [];
    public IReadOnlyList<string> FromCookies { get; init; } = [];
    public string? OutputPayloadToHeader { get; init; }
    public bool ForwardOriginalToken { get; init; }
    public IReadOnlyList<ClaimToHeader> OutputClaimToHeaders { get; init; } = [];

    public static JwtRule From(JsonObject rule) => new()
    {
        Issuer = rule.Str("issuer") ?? "",
        Audiences = rule.Strings("audiences"),
        Jwks = rule.Str("jwks"),
        JwksUri = rule.Str("jwksUri"),
        TimeoutNanos = rule.Nanos("timeout"),
        FromHeaders = [.. rule.Objects("fromHeaders").Select(h => new JwtHeader(h.Str("name") ?? "", h.Str("prefix") ?? ""))],
        FromParams = rule.Strings("fromParams"),
        FromCookies = rule.Strings("fromCookies"),
        OutputPayloadToHeader = rule.Str("outputPayloadToHeader"),
        ForwardOriginalToken = rule.Bool("forwardOriginalToken") ?? false,
        OutputClaimToHeaders = [.. rule.Objects("outputClaimToHeaders").Select(c => new ClaimToHeader(c.Str("header") ?? "", c.Str("claim") ?? ""))],
    };
}

/// <summary>A header a token is read from, after <see cref="Prefix"/> (e.g. <c>Bearer </c>).</summary>
public sealed record JwtHeader(string Name, string Prefix);

/// <summary>A claim of a valid token copied into a request header.</summary>
public sealed record ClaimToHeader(string Header, string Claim);

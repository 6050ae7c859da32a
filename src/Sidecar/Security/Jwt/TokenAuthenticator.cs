namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Verifies the tokens one requirement found, in Envoy's order: parse, issuer, lifetime (with clock skew),
/// audience, then signature. For one named provider every token must pass; in the allow-missing (and
/// allow-failed) modes tokens are checked against the provider of their issuer and a failure does not stop the
/// others. A verified token writes its headers and metadata through <see cref="VerifiedToken"/>.</summary>
internal sealed class TokenAuthenticator(Provider? provider, AudienceCheck? audiences, IReadOnlyList<Provider> providers, bool allowFailed, bool allowMissing)
{
    public async ValueTask<JwtStatus> Verify(VerifyContext context, List<ExtractedToken> tokens)
    {
        var status = JwtStatus.JwtMissed;
        // Envoy takes the tokens from the back of what the extractor found.
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            status = await VerifyOne(context, tokens[i]).ConfigureAwait(false);
            if (status != JwtStatus.Ok && !allowFailed && !allowMissing) break;
        }
        if (allowFailed) return JwtStatus.Ok;
        if (allowMissing && status == JwtStatus.JwtMissed) return JwtStatus.Ok;
        return status;
    }

    private async ValueTask<JwtStatus> VerifyOne(VerifyContext context, ExtractedToken token)
    {
        var status = ParsedJwt.TryParse(token.Token, out var jwt);
        if (status != JwtStatus.Ok) return status;
        if (!token.Issuers.Allows(jwt!.Issuer)) return JwtStatus.JwtUnknownIssuer;
        var owner = provider ?? ByIssuer(jwt.Issuer);
        if (owner is null) return JwtStatus.JwtUnknownIssuer;

        var now = (ulong)Math.Max(0, context.Time.GetUtcNow().ToUnixTimeSeconds());
        var skew = owner.ClockSkewSeconds;
        if (now + skew < jwt.NotBefore) return JwtStatus.JwtNotYetValid;
        if (jwt.Expires != 0 && now > Saturating(jwt.Expires, skew)) return JwtStatus.JwtExpired;
        if (!(audiences ?? owner.Audiences).Allows(jwt.Audiences)) return JwtStatus.JwtAudienceNotAllowed;

        var (keys, failure) = await owner.Keys.Get(context.CancellationToken).ConfigureAwait(false);
        if (keys is null) return failure;
        status = await keys.Verify(jwt).ConfigureAwait(false);
        if (status != JwtStatus.Ok) return status;
        VerifiedToken.Apply(context, owner, jwt, token);
        return JwtStatus.Ok;
    }

    /// <summary>The provider for a token checked without a named provider: the first with the token's issuer, else
    /// the first without an issuer.</summary>
    private Provider? ByIssuer(string issuer)
        => providers.FirstOrDefault(p => p.Issuer.Length > 0 && p.Issuer == issuer) ?? providers.FirstOrDefault(p => p.Issuer.Length == 0);

    private static ulong Saturating(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}

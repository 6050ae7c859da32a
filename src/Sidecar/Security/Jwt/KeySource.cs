namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Where a provider's keys come from: its <c>local_jwks</c>, or its <c>remote_jwks</c> fetched and
/// cached.</summary>
internal abstract class KeySource
{
    /// <summary>The keys, or null and the status a token gets without them.</summary>
    public abstract ValueTask<(JwksKeys? Keys, JwtStatus Failure)> Get(CancellationToken cancellationToken);
}

/// <summary>An inline JWKS. Envoy takes a JWKS without usable keys as valid config and fails every token with it
/// ("Jwks doesn't have any valid public key"); so does this.</summary>
internal sealed class LocalKeySource(JwksKeys? keys) : KeySource
{
    public override ValueTask<(JwksKeys? Keys, JwtStatus Failure)> Get(CancellationToken cancellationToken)
        => ValueTask.FromResult((keys, keys is null ? JwtStatus.JwksNoValidKeys : JwtStatus.Ok));
}

using System.Net;

namespace Mesh.Sidecar.Security;

/// <summary>Fetches a JWKS document (the body of a GET of <paramref name="uri"/>); throws when it cannot.</summary>
public delegate Task<string> JwksFetch(Uri uri, CancellationToken cancellationToken);

/// <summary>What a <see cref="JwtAuthenticator"/> needs from its host: a way to fetch remote JWKS (none: configs
/// with <c>remote_jwks</c> are refused) and a clock (the system's by default).</summary>
public sealed record JwtAuthenticatorOptions
{
    public JwksFetch? FetchJwks { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A fetcher over <paramref name="client"/>: anything but a 200 is a failure, as for Envoy.</summary>
    public static JwksFetch HttpFetch(HttpClient client) => async (uri, cancellationToken) =>
    {
        using var response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"JWKS fetch from {uri} answered {(int)response.StatusCode}", null, response.StatusCode);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    };
}

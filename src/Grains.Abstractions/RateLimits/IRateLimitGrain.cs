namespace Mesh.Grains.RateLimits;

/// <summary>One cluster-wide token bucket: an ApiPolicy's Cluster limit for one key value, keyed
/// <c>BUCKET|KEY</c> (<see cref="KeyOf"/>). Gateways lease its tokens in batches and serve requests from their leases,
/// so no request waits on it. Held in memory: a bucket that moves to another silo starts again full, as a restarted
/// Envoy's local buckets do.</summary>
[Alias("mesh.IRateLimitGrain")]
public interface IRateLimitGrain : IGrainWithStringKey
{
    [Alias("Lease")] Task<LeaseGrant> Lease(LeaseAsk ask);

    /// <summary>The grain key of a limit's bucket (<c>POLICY_KEY/LIMIT</c>, which holds no <c>|</c>) for a key value.</summary>
    public static string KeyOf(string bucket, string key) => $"{bucket}|{key}";
}

/// <summary>Up to <paramref name="Tokens"/> tokens, from a bucket of the given shape (the newest a gateway was told
/// of: a bucket whose shape changed starts again full, as Envoy's do on a new config).</summary>
[GenerateSerializer, Immutable, Alias("mesh.LeaseAsk")]
public sealed record LeaseAsk(
    [property: Id(0)] long Tokens,
    [property: Id(1)] long MaxTokens,
    [property: Id(2)] long TokensPerFill,
    [property: Id(3)] TimeSpan FillInterval);

/// <summary>The tokens given (0 when the bucket is empty), and how long until the bucket next fills.</summary>
[GenerateSerializer, Immutable, Alias("mesh.LeaseGrant")]
public sealed record LeaseGrant([property: Id(0)] long Granted, [property: Id(1)] TimeSpan NextFill);

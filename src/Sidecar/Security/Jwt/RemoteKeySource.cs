namespace Mesh.Sidecar.Security.Jwt;

/// <summary>A JWKS fetched from <c>remote_jwks.http_uri</c> and kept for <c>cache_duration</c>. Requests that need
/// keys while none are cached share one fetch; a failed fetch (error, timeout, not a JWKS with usable keys) fails
/// the tokens that waited for it and is not cached, so the next request fetches again. Thread-safe.</summary>
internal sealed class RemoteKeySource(Uri uri, TimeSpan cacheDuration, TimeSpan? timeout, JwksFetch fetch, TimeProvider time) : KeySource
{
    private readonly Lock _lock = new();
    private (JwksKeys Keys, DateTimeOffset Expires)? _cached;
    private Task<JwksKeys?>? _fetching;

    public override async ValueTask<(JwksKeys? Keys, JwtStatus Failure)> Get(CancellationToken cancellationToken)
    {
        Task<JwksKeys?> fetching;
        lock (_lock)
        {
            if (_cached is { } cached && time.GetUtcNow() < cached.Expires) return (cached.Keys, JwtStatus.Ok);
            // Task.Run: a fetch that completes synchronously would clear _fetching before this line stores it.
            fetching = _fetching ??= Task.Run(Fetch);
        }
        var keys = await fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (keys, keys is null ? JwtStatus.JwksFetchFail : JwtStatus.Ok);
    }

    private async Task<JwksKeys?> Fetch()
    {
        JwksKeys? keys = null;
        try
        {
            using var deadline = new CancellationTokenSource();
            if (timeout is { } limit && limit > TimeSpan.Zero) deadline.CancelAfter(limit);
            keys = JwksKeys.Parse(await fetch(uri, deadline.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Any failure to get the document is Envoy's JwksFetchFail for the waiting tokens.
        }
        lock (_lock)
        {
            if (keys is not null) _cached = (keys, time.GetUtcNow() + cacheDuration);
            _fetching = null;
        }
        return keys;
    }
}

namespace Mesh.Xds.Cache;

/// <summary>When one host's change is pushed: a lone change (the host was quiet for <c>quiet</c>) at once; a change
/// that follows another within <c>quiet</c> belongs to a burst and waits for <c>quiet</c> without a change, at most
/// <c>max</c> after the burst's first batched change. So a quiet mesh pays no debounce, and a burst costs two pushes
/// (its first change, then everything after it together). Not thread-safe: the owner locks.</summary>
internal sealed class ChangeDebounce(TimeSpan quiet, TimeSpan max)
{
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private DateTimeOffset _first;
    private bool _lone;

    /// <summary>A change arrived at <paramref name="now"/>.</summary>
    /// <param name="pending">A push of this host is already waiting (the change joins it).</param>
    public void Note(DateTimeOffset now, bool pending)
    {
        if (!pending)
        {
            _lone = now - _last >= quiet;
            _first = now;
        }
        _last = now;
    }

    /// <summary>When the waiting push is due.</summary>
    public DateTimeOffset Due()
    {
        if (_lone) return _first;
        var quietEnd = _last + quiet;
        var ceiling = _first + max;
        return quietEnd < ceiling ? quietEnd : ceiling;
    }
}

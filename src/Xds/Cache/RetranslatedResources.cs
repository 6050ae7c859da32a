using System.Collections.Concurrent;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Cache;

/// <summary>Resources translated when first asked for and kept, then translated again in place when their inputs
/// change; one translation at a time, so a lookup and a re-translation never interleave and the newest input is the
/// one kept. A failed re-translation is tried again until it succeeds: a stale resource is never left in place.</summary>
internal sealed class RetranslatedResources<TKey>(Func<TKey, Task<XdsResource?>> translate) where TKey : notnull
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<TKey, XdsResource?> _computed = new();

    public async Task<XdsResource?> Get(TKey key)
    {
        if (_computed.TryGetValue(key, out var known)) return known;
        await _gate.WaitAsync();
        try
        {
            if (_computed.TryGetValue(key, out known)) return known;
            var resource = await translate(key);
            _computed[key] = resource;
            return resource;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Translates again the resources in use that <paramref name="affected"/> picks (in key order) and
    /// returns those whose content changed; <paramref name="failed"/> hears of each failed attempt.</summary>
    public async Task<IReadOnlyList<TKey>> Retranslate(Func<TKey, bool> affected, IComparer<TKey> order, Action<Exception> failed)
    {
        while (true)
        {
            await _gate.WaitAsync();
            try
            {
                var changed = new List<TKey>();
                foreach (var key in _computed.Keys.Where(affected).Order(order))
                {
                    var before = _computed.TryGetValue(key, out var b) ? b : null;
                    var after = await translate(key);
                    _computed[key] = after;
                    if (before?.Version != after?.Version) changed.Add(key);
                }
                return changed;
            }
            catch (Exception exception)
            {
                failed(exception);
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(RetryAfter);
        }
    }
}

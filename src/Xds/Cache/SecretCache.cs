using System.Collections.Concurrent;
using Mesh.Grains.Secrets;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the gateway credentials its gateways asked for, one grain subscription per
/// credential whatever the number of gateways; a replacement or deletion raises <see cref="Changed"/>. A grain that
/// forgot the subscription (reactivated elsewhere) is re-read.</summary>
public sealed class SecretCache : ISecretObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ObserverSubscriptions<ISecretGrain, ISecretObserver> _subscriptions;

    public SecretCache(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options)
    {
        _grains = grains;
        _subscriptions = subscriptions.Add<ISecretGrain, ISecretObserver>(this, new Renewal(options.Value.SubscriptionExpiry / 3, Resync));
    }

    /// <summary>Raised with the key (<c>namespace/name</c>) of a credential that changed. Handlers must not block.</summary>
    public event Action<string>? Changed;

    /// <summary>The credential, or null when there is none (followed from then on: one created later is raised).</summary>
    public async Task<TlsCredential?> Get(string key)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        Task<TlsCredential?> loading;
        lock (entry)
        {
            if (entry.Loaded) return entry.Credential;
            loading = entry.Loading ??= Load(key, entry);
        }
        try
        {
            return await loading;
        }
        catch
        {
            lock (entry) entry.Loading = null;
            throw;
        }
    }

    public Task OnSecretChanged(string key, TlsCredential? credential)
    {
        if (!_entries.TryGetValue(key, out var entry)) return Task.CompletedTask;
        lock (entry)
        {
            entry.Credential = credential;
            entry.Loaded = true;
        }
        Changed?.Invoke(key);
        return Task.CompletedTask;
    }

    private async Task<TlsCredential?> Load(string key, Entry entry)
    {
        var credential = await _subscriptions.Open(key, () => Grain(key).GetCredential());
        lock (entry)
        {
            // A change that arrived meanwhile is at least as new as what was read.
            if (!entry.Loaded)
            {
                entry.Credential = credential;
                entry.Loaded = true;
            }
            return entry.Credential;
        }
    }

    /// <summary>The grain forgot this silo: whatever changed meanwhile was missed.</summary>
    private async Task Resync(string key) => await OnSecretChanged(key, await Grain(key).GetCredential());

    private ISecretGrain Grain(string key) => _grains.GetGrain<ISecretGrain>(key);

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();

    private sealed class Entry
    {
        public TlsCredential? Credential { get; set; }
        public bool Loaded { get; set; }
        public Task<TlsCredential?>? Loading { get; set; }
    }
}

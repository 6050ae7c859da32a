using System.Collections.Concurrent;
using Mesh.Silo.Api;
using Mesh.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Watch;

/// <summary>Creates <see cref="ConfigWatch"/>es with the silo's feed settings, and knows the live ones.</summary>
public sealed class ConfigWatchFactory(IGrainFactory grains, ConfigCatalog catalog, IOptions<MeshOptions> options, ILoggerFactory loggers)
{
    public const int QueueCapacity = 10_000;
    private readonly ConcurrentDictionary<ConfigWatch, byte> _live = new();

    /// <summary>A watch; <see cref="Forget"/> it when it ends.</summary>
    public ConfigWatch Create(string? kind, string? @namespace)
    {
        var watch = new ConfigWatch(grains, catalog, kind, @namespace, options.Value.FeedSubscriptionExpiry / 3, QueueCapacity, loggers.CreateLogger<ConfigWatch>());
        _live.TryAdd(watch, 0);
        return watch;
    }

    public void Forget(ConfigWatch watch) => _live.TryRemove(watch, out _);

    /// <summary>Every live watch renews its subscriptions now (after a silo died).</summary>
    public void RenewAll()
    {
        foreach (var watch in _live.Keys) watch.RenewNow();
    }
}

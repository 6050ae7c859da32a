using Mesh.Grains.Subscriptions;
using Mesh.Silo.Api;
using Mesh.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Watch;

/// <summary>Creates <see cref="ConfigWatch"/>es with the silo's feed settings; their subscriptions live in the
/// silo's <see cref="SubscriptionRegistry"/> until they are disposed.</summary>
public sealed class ConfigWatchFactory(SubscriptionRegistry subscriptions, ConfigCatalog catalog, IOptions<MeshOptions> options, ILoggerFactory loggers)
{
    public const int QueueCapacity = 10_000;

    public ConfigWatch Create(string? kind, string? @namespace)
        => new(subscriptions, catalog, kind, @namespace, options.Value.FeedSubscriptionExpiry / 3, QueueCapacity, loggers.CreateLogger<ConfigWatch>());
}

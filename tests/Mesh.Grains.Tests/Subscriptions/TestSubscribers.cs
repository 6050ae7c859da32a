using System.Threading.Channels;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Orleans.Core.Internal;

namespace Mesh.Grains.Tests.Subscriptions;

/// <summary>What the subscription tests share: observers that record what reaches them, resyncs that are recorded,
/// and a way to make a grain forget its subscribers (a new activation, as after its silo died).</summary>
public static class TestSubscribers
{
    public static Renewal Hourly(Resyncs resyncs) => new(TimeSpan.FromHours(1), resyncs.Record);

    public static Task Apply(IGrainFactory grains, string @namespace, string name, string host)
        => grains.GetGrain<IConfigGrain>($"DestinationRule/{@namespace}/{name}")
            .Apply(new ConfigWrite { ApiVersion = "networking.istio.io/v1", SpecJson = $$"""{"host":"{{host}}"}""" });

    /// <summary>Deactivates the grain: its next call makes a new activation, with a new epoch and no subscribers.</summary>
    public static Task Forget(IAddressable grain) => grain.Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().Within();
}

/// <summary>What arrived, in order, waited for with a bound.</summary>
public class Arrivals<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();

    protected void Add(T item) => _items.Writer.TryWrite(item);

    public Task<T> Next() => _items.Reader.ReadAsync().AsTask().Within();

    public bool Any => _items.Reader.TryPeek(out _);
}

/// <summary>The keys resynced.</summary>
public sealed class Resyncs : Arrivals<string>
{
    public Task Record(string key)
    {
        Add(key);
        return Task.CompletedTask;
    }
}

public sealed class ChangeRecorder : Arrivals<ConfigChange>, IConfigChangeObserver
{
    public Task OnChanged(ConfigChange change)
    {
        Add(change);
        return Task.CompletedTask;
    }
}

public sealed class ModelRecorder : IServiceObserver
{
    public Task OnServiceChanged(ServiceModel model) => Task.CompletedTask;
}

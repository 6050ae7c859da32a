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

/// <summary>The keys resynced, in order.</summary>
public sealed class Resyncs
{
    private readonly Channel<string> _keys = Channel.CreateUnbounded<string>();

    public Task Record(string key)
    {
        _keys.Writer.TryWrite(key);
        return Task.CompletedTask;
    }

    public Task<string> Next() => _keys.Reader.ReadAsync().AsTask().Within();

    public bool Any => _keys.Reader.TryPeek(out _);
}

public sealed class ChangeRecorder : IConfigChangeObserver
{
    private readonly Channel<ConfigChange> _changes = Channel.CreateUnbounded<ConfigChange>();

    public Task OnChanged(ConfigChange change)
    {
        _changes.Writer.TryWrite(change);
        return Task.CompletedTask;
    }

    public Task<ConfigChange> Next() => _changes.Reader.ReadAsync().AsTask().Within();

    public bool Any => _changes.Reader.TryPeek(out _);
}

public sealed class ModelRecorder : IServiceObserver
{
    public Task OnServiceChanged(ServiceModel model) => Task.CompletedTask;
}

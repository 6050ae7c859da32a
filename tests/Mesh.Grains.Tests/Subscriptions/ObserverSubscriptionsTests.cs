using System.Reflection;
using System.Runtime.ExceptionServices;
using Mesh.Grains.Changes;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging.Abstractions;
using static Mesh.Grains.Tests.Subscriptions.TestSubscribers;

namespace Mesh.Grains.Tests.Subscriptions;

/// <summary>The subscription primitive against a real change-feed grain; renewals come only when a test asks for them
/// (the period is an hour).</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class ObserverSubscriptionsTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";
    private readonly ChangeRecorder _observer = new();
    private readonly Resyncs _resyncs = new();

    private INamespaceFeedGrain Feed(string @namespace) => mesh.Grains.GetGrain<INamespaceFeedGrain>(@namespace);

    [Fact]
    public async Task Open_SubscribesBeforeItReads_SoAChangeMadeInBetweenArrives()
    {
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        await using var subscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(_observer, Hourly(_resyncs));

        var arrived = await subscriptions.Open(_namespace, async () =>
        {
            await Apply(mesh.Grains, _namespace, "reviews", "a");
            return await _observer.Next();
        }).Within();

        Assert.Equal(("reviews", ChangeType.Added), (arrived.Name, arrived.Type));
    }

    [Fact]
    public async Task Renewal_AfterTheGrainForgotTheSubscriber_ResyncsAndResubscribes()
    {
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        await using var subscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(_observer, Hourly(_resyncs));
        await subscriptions.Open(_namespace, () => Task.FromResult(0)).Within();

        await Forget(Feed(_namespace));
        subscriptions.RenewNow();

        Assert.Equal(_namespace, await _resyncs.Next());
        await Apply(mesh.Grains, _namespace, "reviews", "a");
        Assert.Equal("reviews", (await _observer.Next()).Name);
    }

    [Fact]
    public async Task Renewal_OfAGrainThatStillKnowsTheSubscriber_DoesNotResync()
    {
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        await using var subscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(_observer, Hourly(_resyncs));
        var forgotten = $"{_namespace}-forgotten";
        await subscriptions.Open(_namespace, () => Task.FromResult(0)).Within();
        await subscriptions.Open(forgotten, () => Task.FromResult(0)).Within();

        // Two passes, one after the other: when the second resync arrives, the first pass has seen every key.
        await Forget(Feed(forgotten));
        subscriptions.RenewNow();
        Assert.Equal(forgotten, await _resyncs.Next());
        await Forget(Feed(forgotten));
        subscriptions.RenewNow();
        Assert.Equal(forgotten, await _resyncs.Next());

        Assert.False(_resyncs.Any);
    }

    [Fact]
    public async Task Open_ThatFailedToRead_IsResyncedAtTheNextRenewal()
    {
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        await using var subscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(_observer, Hourly(_resyncs));

        await Assert.ThrowsAsync<InvalidOperationException>(() => subscriptions.Open<int>(_namespace, () => throw new InvalidOperationException("read failed")));
        subscriptions.RenewNow();

        Assert.Equal(_namespace, await _resyncs.Next());
    }

    [Fact]
    public async Task Dispose_UnsubscribesDeletesTheReferenceAndStopsRenewing()
    {
        var (grains, calls) = GrainFactoryCalls.Over(mesh.Grains);
        var registry = new SubscriptionRegistry(grains, NullLoggerFactory.Instance);
        var subscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(_observer, Hourly(_resyncs));
        await subscriptions.Open(_namespace, () => Task.FromResult(0)).Within();
        var witness = new ChangeRecorder();
        var witnessResyncs = new Resyncs();
        await using var witnessSubscriptions = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(witness, Hourly(witnessResyncs));
        await witnessSubscriptions.Open(_namespace, () => Task.FromResult(0)).Within();

        await subscriptions.DisposeAsync().AsTask().Within();

        var reference = Assert.Single(calls.Of(nameof(IGrainFactory.CreateObjectReference)), c => ReferenceEquals(c.Arguments[0], _observer)).Returned;
        Assert.Contains(calls.Of(nameof(IGrainFactory.DeleteObjectReference)), c => ReferenceEquals(c.Arguments[0], reference));
        Assert.Equal(1, registry.Count);
        // The witness, still subscribed, shows the change was published and the silo's death renewal went out.
        await Apply(mesh.Grains, _namespace, "reviews", "a");
        await witness.Next();
        await Forget(Feed(_namespace));
        registry.RenewAll();
        subscriptions.RenewNow();
        Assert.Equal(_namespace, await witnessResyncs.Next());
        Assert.False(_observer.Any);
        Assert.False(_resyncs.Any);
    }

    /// <summary>An <see cref="IGrainFactory"/> that passes every call on and remembers it.</summary>
    public class GrainFactoryCalls : DispatchProxy
    {
        private readonly List<(string Method, object?[] Arguments, object? Returned)> _calls = [];
        private IGrainFactory _inner = null!;

        public static (IGrainFactory Grains, GrainFactoryCalls Calls) Over(IGrainFactory inner)
        {
            var proxy = Create<IGrainFactory, GrainFactoryCalls>();
            var calls = (GrainFactoryCalls)(object)proxy;
            calls._inner = inner;
            return (proxy, calls);
        }

        public IReadOnlyList<(object?[] Arguments, object? Returned)> Of(string method)
        {
            lock (_calls) return [.. _calls.Where(c => c.Method == method).Select(c => (c.Arguments, c.Returned))];
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            try
            {
                var returned = targetMethod!.Invoke(_inner, args);
                lock (_calls) _calls.Add((targetMethod.Name, args ?? [], returned));
                return returned;
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(exception.InnerException);
                throw;
            }
        }
    }
}

using System.Text.Json.Nodes;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>Writes the status of the Kubernetes objects the source reports (<see cref="ISourcedObjectSink"/>) back to
/// the API server and to their config grains. It acts only for objects reported to it, and the source runs only on
/// the silo that holds its lease, so only that silo writes. A round (after a report, or a proxy's ACK or NACK pushed
/// by the proxy feeds, or every <see cref="StatusWriterOptions.SafetyPoll"/> in case a push was lost) reads the fleet
/// once and writes only the objects whose status changed; a write that fails is tried again with back-off.</summary>
public sealed partial class StatusWriter(IFleetInputs inputs, KubernetesObjectStatus objects, StatusWriterOptions options, TimeProvider time, ILogger<StatusWriter> logger)
    : BackgroundService, ISourcedObjectSink
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    public void Observed(SourcedObject sourced)
    {
        var gatewayApi = GatewayApiObjectStatus.Describes(sourced.Kind);
        if (!gatewayApi && !ObjectStatus.Describes(sourced.Kind)) return;
        // The Gateway API grain stores its status after the source's write, and again when what it reads changes.
        if (gatewayApi) inputs.FollowGatewayApi(sourced.Namespace, Wake);
        var key = ResourceKey.Of(sourced.Kind.Kind, sourced.Namespace, sourced.Name);
        // The same report again (a re-list) keeps what was written, so that it costs no call to the API server.
        lock (_lock) _tracked[key] = new Tracked(sourced, _tracked.TryGetValue(key, out var known) && Same(known.Sourced, sourced) ? known.Written : null);
        Wake();
    }

    private void Wake() => _wake.Release();

    public void Removed(ResourceKind kind, string @namespace, string name)
    {
        lock (_lock) _tracked.Remove(ResourceKey.Of(kind.Kind, @namespace, name));
    }

    public void Released()
    {
        lock (_lock) _tracked.Clear();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastWhole = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Reports and ACKs arrive in bursts (a source's list, a push to many proxies): one round for all of them.
                if (await _wake.WaitAsync(options.SafetyPoll, stoppingToken)) await Task.Delay(options.Coalesce, time, stoppingToken);
                while (_wake.CurrentCount > 0) await _wake.WaitAsync(stoppingToken);
                var whole = time.GetUtcNow() - lastWhole >= options.SafetyPoll;
                if (await Round(stoppingToken, whole) && whole) lastWhole = time.GetUtcNow();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every tracked object, reading every proxy again when <paramref name="whole"/>; internal so
    /// that tests run it without the timer.</summary>
    /// <returns>Whether the fleet was read.</returns>
    internal async Task<bool> Round(CancellationToken cancellationToken, bool whole = true)
    {
        KeyValuePair<string, Tracked>[] due;
        var now = time.GetUtcNow();
        lock (_lock) due = [.. _tracked.Where(t => t.Value.RetryAt <= now)];
        if (due.Length == 0) return false;
        // Only a silo that writes status follows the proxy feeds (subscribed once, on its first round).
        inputs.Follow(Wake);
        IReadOnlyList<ProxySnapshot> proxies;
        try
        {
            proxies = await inputs.Proxies(whole);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogFleetFailed(logger, exception);
            return false;
        }
        foreach (var (key, tracked) in due)
        {
            try
            {
                var written = await Write(tracked, proxies, cancellationToken);
                Update(key, tracked, t => t with { Written = written, Failures = 0, RetryAt = DateTimeOffset.MinValue });
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var failures = tracked.Failures + 1;
                var backOff = TimeSpan.FromTicks(Math.Min(options.MaxBackOff.Ticks, options.FirstRetry.Ticks * (1L << Math.Min(failures - 1, 10))));
                Update(key, tracked, t => t with { Failures = failures, RetryAt = time.GetUtcNow() + backOff });
                LogWriteFailed(logger, key, failures, backOff, exception);
            }
        }
        return true;
    }

    private async Task<JsonObject?> Write(Tracked tracked, IReadOnlyList<ProxySnapshot> proxies, CancellationToken cancellationToken)
    {
        var sourced = tracked.Sourced;
        if (GatewayApiObjectStatus.Describes(sourced.Kind)) return await WriteGatewayApi(tracked, cancellationToken);
        FleetStatus? fleet = null;
        if (sourced.Accepted && await inputs.Spec(sourced.Kind, sourced.Namespace, sourced.Name) is { } stored
            && FleetScope.Of(sourced.Kind, sourced.Namespace, sourced.Name, stored.Spec, options.RootNamespace) is { } scope)
        {
            fleet = FleetStatus.Of(scope, proxies, stored.ChangedAt);
        }
        var now = time.GetUtcNow();
        // Unchanged since the last write: no call to the API server at all.
        if (tracked.Written is { } last && JsonNode.DeepEquals(last, ObjectStatus.Build(sourced, fleet, last, now))) return last;
        var written = await objects.Write(sourced.Kind, sourced.Namespace, sourced.Name, previous => ObjectStatus.Build(sourced, fleet, previous, now), cancellationToken);
        if (written is not null) await inputs.SetStatus(sourced.Kind, sourced.Namespace, sourced.Name, written);
        return written;
    }

    /// <summary>Copies the Gateway API grain's status over (<see cref="GatewayApiObjectStatus"/>); the config grain keeps
    /// its own, which the grain computes.</summary>
    private async Task<JsonObject?> WriteGatewayApi(Tracked tracked, CancellationToken cancellationToken)
    {
        var sourced = tracked.Sourced;
        var stored = await inputs.GatewayApiStatus(sourced.Kind, sourced.Namespace, sourced.Name);
        var now = time.GetUtcNow();
        if (sourced.Accepted)
        {
            // Known without reading the object: nothing of Mesh's to write yet, or what was written last.
            var known = new JsonObject { ["status"] = tracked.Written?.DeepClone() };
            if (GatewayApiObjectStatus.Build(sourced, stored, known, now) is not { } status) return tracked.Written;
            if (tracked.Written is { } last && JsonNode.DeepEquals(last, status)) return last;
        }
        return await objects.WriteFrom(sourced.Kind, sourced.Namespace, sourced.Name, async current =>
            GatewayApiObjectStatus.Build(sourced, stored, current, now, sourced.Accepted ? null : await Claimed(sourced, current["spec"])),
            cancellationToken);
    }

    /// <summary>Those of a refused object's <see cref="GatewayApiObjectStatus.Claimants"/> that have a status of Mesh's.</summary>
    private async Task<IReadOnlySet<(ResourceKind Kind, string Namespace, string Name)>> Claimed(SourcedObject sourced, JsonNode? spec)
    {
        var claimed = new HashSet<(ResourceKind Kind, string Namespace, string Name)>();
        foreach (var claimant in GatewayApiObjectStatus.Claimants(sourced.Kind, sourced.Namespace, spec))
        {
            if ((await inputs.GatewayApiStatus(claimant.Kind, claimant.Namespace, claimant.Name))?.Status is not null) claimed.Add(claimant);
        }
        return claimed;
    }

    private static bool Same(SourcedObject a, SourcedObject b) =>
        a.Generation == b.Generation && a.Problems.SequenceEqual(b.Problems);

    /// <summary>Applies <paramref name="change"/> unless the object was reported again or removed meanwhile.</summary>
    private void Update(string key, Tracked was, Func<Tracked, Tracked> change)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(key, out var now) && ReferenceEquals(now, was)) _tracked[key] = change(now);
        }
    }

    private sealed record Tracked(SourcedObject Sourced, JsonObject? Written)
    {
        public int Failures { get; init; }
        public DateTimeOffset RetryAt { get; init; } = DateTimeOffset.MinValue;
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Reading the proxies for Kubernetes status failed; the next round tries again")]
    private static partial void LogFleetFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Writing the Kubernetes status of {Key} failed ({Failures} time(s)); tried again in {BackOff}")]
    private static partial void LogWriteFailed(ILogger logger, string key, int failures, TimeSpan backOff, Exception exception);
}

using Mesh.Grains.Config;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Mesh.Config.Keys;

namespace Mesh.Grains.Endpoints;

/// <summary>Holds an auto-registered workload's WorkloadEntry for as long as its proxy renews the lease. A timer
/// expires it on time while the grain is active; a reminder wakes the grain after a silo failure so that a lease
/// nobody renews still ends. A grain that wakes up gives the holder one full lease before expiring it, since the
/// renewals it missed went to its previous activation.</summary>
public sealed partial class WorkloadLeaseGrain(
    [PersistentState("lease", StorageNames.Mesh)] IPersistentState<WorkloadLeaseState> state,
    ILogger<WorkloadLeaseGrain> logger) : Grain, IWorkloadLeaseGrain, IRemindable
{
    private const string ReminderName = "lease-expiry";
    private static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromMinutes(1);
    private DateTimeOffset _expiresAt;
    private ConfigWrite? _written;
    private IGrainTimer? _timer;

    private string Key => this.GetPrimaryKeyString();

    private IConfigGrain Entry => GrainFactory.GetGrain<IConfigGrain>(WorkloadKey.EntryResourceKey(Key));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Holder is not null)
        {
            _expiresAt = DateTimeOffset.UtcNow + state.State.Duration;
            StartTimer(state.State.Duration);
        }
        return Task.CompletedTask;
    }

    public async Task Hold(WorkloadLease lease)
    {
        var newHolder = state.State.Holder != lease.Holder;
        _expiresAt = DateTimeOffset.UtcNow + lease.Duration;
        if (_written is null || !Same(_written.SpecJson, _written.Labels, _written.Annotations, lease.Entry) || newHolder)
        {
            await Write(lease.Entry);
        }
        if (newHolder || state.State.Duration != lease.Duration)
        {
            state.State.Holder = lease.Holder;
            state.State.Duration = lease.Duration;
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(ReminderName, lease.Duration, lease.Duration > MinimumReminderPeriod ? lease.Duration : MinimumReminderPeriod);
            if (newHolder) LogHeld(logger, Key, lease.Holder, lease.Duration);
        }
        StartTimer(lease.Duration);
    }

    public async Task Release(string holder)
    {
        if (state.State.Holder != holder) return;
        LogReleased(logger, Key, holder);
        await End();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => CheckExpiry();

    private async Task CheckExpiry()
    {
        if (state.State.Holder is null)
        {
            await StopReminder();
            return;
        }
        if (DateTimeOffset.UtcNow < _expiresAt) return;
        LogExpired(logger, Key, state.State.Holder);
        await End();
    }

    private async Task Write(ConfigWrite entry)
    {
        var stored = await Entry.Get();
        if (stored is not null && !Registrable(stored, entry))
        {
            throw new InvalidOperationException(
                $"WorkloadEntry {Key} exists and was not auto-registered by service account {ServiceAccount(entry.SpecJson)}: a proxy cannot take over an entry an operator applied or another identity registered");
        }
        if (stored is null || !Same(stored.SpecJson, stored.Labels, stored.Annotations, entry))
        {
            await Entry.Apply(entry);
        }
        _written = entry;
    }

    /// <summary>A proxy may (re)register an entry that is auto-registered under the same service account: its own from
    /// before a restart. Anything else (applied by an operator, or registered by another identity) stays as it is.</summary>
    private static bool Registrable(StoredConfig stored, ConfigWrite entry)
        => stored.Annotations.TryGetValue(WorkloadAnnotations.AutoRegistered, out var auto) && auto == "true"
            && ServiceAccount(stored.SpecJson) == ServiceAccount(entry.SpecJson);

    private static string ServiceAccount(string specJson)
        => System.Text.Json.Nodes.JsonNode.Parse(specJson)?["serviceAccount"]?.GetValue<string>() ?? "default";

    private async Task End()
    {
        _timer?.Dispose();
        _timer = null;
        _written = null;
        // Deleting an entry that is already gone is a no-op (NotFound).
        await Entry.Delete(expectedResourceVersion: null, dryRun: false);
        await state.ClearStateAsync();
        await StopReminder();
        DeactivateOnIdle();
    }

    private async Task StopReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private void StartTimer(TimeSpan duration)
    {
        if (_timer is not null) return;
        var period = TimeSpan.FromTicks(Math.Clamp(duration.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(5).Ticks));
        _timer = this.RegisterGrainTimer(CheckExpiry, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    /// <summary>Whether an entry (stored or written before) already reads as <paramref name="entry"/>.</summary>
    private static bool Same(string specJson, Dictionary<string, string> labels, Dictionary<string, string> annotations, ConfigWrite entry)
        => specJson == entry.SpecJson && SameMap(labels, entry.Labels) && SameMap(annotations, entry.Annotations);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
        => a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "WorkloadEntry {Key} registered by {Holder} (lease {Duration})")]
    private static partial void LogHeld(ILogger logger, string key, string holder, TimeSpan duration);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "WorkloadEntry {Key} deregistered: {Holder} stopped gracefully")]
    private static partial void LogReleased(ILogger logger, string key, string holder);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "WorkloadEntry {Key} deregistered: the lease of {Holder} expired")]
    private static partial void LogExpired(ILogger logger, string key, string holder);
}

[GenerateSerializer, Alias("mesh.WorkloadLeaseState")]
public sealed class WorkloadLeaseState
{
    [Id(0)] public string? Holder { get; set; }
    [Id(1)] public TimeSpan Duration { get; set; }
}

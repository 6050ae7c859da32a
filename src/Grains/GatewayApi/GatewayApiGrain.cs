using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Grains.Config;
using Mesh.Grains.Gateways;
using Mesh.Grains.Services;
using Mesh.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Mesh.Grains.GatewayApi;

/// <summary>Runs <see cref="GatewayApiConversion"/> over the mesh's Gateway API resources whenever one changes, and
/// makes the gateway grains and directory entries of Mesh's Gateways hold the result (a Gateway API Gateway selects
/// the workloads labelled <c>gateway.networking.k8s.io/gateway-name: NAME</c> of its namespace), then writes each
/// resource's status to its config grain (see <see cref="GatewayApiStatusWriter"/>). What the conversion reads besides
/// those resources (Services, TLS secrets) it is told about: <see cref="ConfigDependents"/> after a ServiceEntry's
/// service grains changed (through the outbox), the secret grain after a credential was stored or deleted.</summary>
public sealed partial class GatewayApiGrain(
    [PersistentState("gatewayApi", StorageNames.Mesh)] IPersistentState<GatewayApiState> state,
    TimeProvider time,
    ILogger<GatewayApiGrain> logger) : Grain, IGatewayApiGrain
{
    /// <summary>How often a conversion whose references did not all resolve (a Service or Secret that does not exist
    /// yet) runs again although nothing told it to: a safety net only, for a secret write whose call to this grain was
    /// lost with its silo (a ServiceEntry's is replayed by the outbox).</summary>
    private static readonly TimeSpan SafetyRecheck = TimeSpan.FromSeconds(30);
    /// <summary>How often status writes that failed are tried again.</summary>
    private static readonly TimeSpan StatusRetry = TimeSpan.FromSeconds(2);
    private static readonly string[] ExternalReasons = ["\"BackendNotFound\"", "\"InvalidCertificateRef\""];

    private GatewayApiStatusWriter? _status;
    private IGrainTimer? _recheck;
    private IGrainTimer? _statusRetry;
    /// <summary>What the last conversion of this activation read; null before the first.</summary>
    private GatewayApiReads? _reads;

    private GatewayApiState State => state.State;

    public async Task Set(string key, StoredConfig? config)
    {
        var changed = config is null
            ? State.Resources.Remove(key)
            : !State.Resources.TryGetValue(key, out var known) || !SameSource(known, config);
        if (config is not null) State.Resources[key] = config;
        // The status a config grain holds seeds an activation that lost its own (a fresh store, a restored grain).
        if (config?.StatusJson is { } stored && !State.Status.ContainsKey(key)) State.Status[key] = stored;
        if (changed) await Write();
        await Converge();
    }

    public Task ServicesChanged(string @namespace) => _reads?.ServiceNamespaces.Contains(@namespace) == false ? Task.CompletedTask : Converge();

    public Task SecretsChanged(string @namespace) => _reads?.SecretNamespaces.Contains(@namespace) == false ? Task.CompletedTask : Converge();

    /// <summary>Whether the conversion would read the same thing: a status write (or a label change) is not a change.</summary>
    private static bool SameSource(StoredConfig a, StoredConfig b) =>
        a.SpecJson == b.SpecJson && a.Generation == b.Generation && a.CreatedAt == b.CreatedAt && a.ApiVersion == b.ApiVersion;

    private async Task Converge()
    {
        var previous = State.Status.ToDictionary(s => s.Key, s => (JsonObject)JsonNode.Parse(s.Value)!, StringComparer.Ordinal);
        var (input, reads) = await GatewayApiSources.Input(GrainFactory, State.Resources.Values, previous, time.GetUtcNow());
        _reads = reads;
        var result = GatewayApiConversion.Convert(input);

        var bound = result.Bindings.Select(b => b.GatewayKey).ToList();
        var directory = GrainFactory.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key);
        await Task.WhenAll(result.Bindings.Select(b => Feed(b, directory))
            .Concat(State.Gateways.Except(bound, StringComparer.Ordinal).Select(gone => Clear(gone, directory))));

        var status = result.Status.ToDictionary(s => s.Key, s => s.Value.ToJsonString(), StringComparer.Ordinal);
        var statusChanged = status.Count != State.Status.Count || status.Any(s => !State.Status.TryGetValue(s.Key, out var v) || v != s.Value);
        if (statusChanged || !State.Gateways.SequenceEqual(bound, StringComparer.Ordinal))
        {
            var written = State.Status;
            (State.Status, State.Gateways) = (status, bound);
            await Write();
            // A resource Mesh no longer reports on (a Gateway whose class is not Mesh's any more, a route with no Gateway
            // parent) has its status taken away.
            var dropped = written.Keys.Except(status.Keys, StringComparer.Ordinal).Where(State.Resources.ContainsKey);
            Status.Want(status.Where(s => !written.TryGetValue(s.Key, out var v) || v != s.Value)
                .Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))
                .Concat(dropped.Select(key => KeyValuePair.Create(key, (string?)null))));
        }
        Status.Start();
        RetryStatusWhilePending();
        _recheck = Every(_recheck, SafetyRecheck, status.Values.Any(s => ExternalReasons.Any(s.Contains)), Converge);
    }

    /// <summary>The first activation writes every status once (the config grains skip what they hold already), since
    /// writes in flight when a previous activation ended may not have landed.</summary>
    private GatewayApiStatusWriter Status => _status ??= new GatewayApiStatusWriter(GrainFactory, logger, State.Status);

    private Task Feed(GatewayBinding binding, IGatewayDirectoryGrain directory)
    {
        var gateway = new ConfigSpec(binding.GatewayKey, binding.Namespace, ConvertedViews.Write(binding.Gateway));
        var routes = binding.VirtualServices.Select((vs, i) => new ConfigSpec($"{binding.GatewayKey}#{i:D4}", binding.Namespace, ConvertedViews.Write(vs))).ToList();
        var selection = new GatewaySelection(binding.GatewayKey, new Dictionary<string, string>(binding.Gateway.Selector), binding.Namespace);
        return Task.WhenAll(Gateway(binding.GatewayKey).Bind(gateway, routes), directory.Set(selection));
    }

    private Task Clear(string gatewayKey, IGatewayDirectoryGrain directory) =>
        Task.WhenAll(Gateway(gatewayKey).Bind(null, []), directory.Remove(gatewayKey));

    private IGatewayGrain Gateway(string key) => GrainFactory.GetGrain<IGatewayGrain>(key);

    private void RetryStatusWhilePending() => _statusRetry = Every(_statusRetry, StatusRetry, Status.Pending, () =>
    {
        Status.Start();
        RetryStatusWhilePending();
        return Task.CompletedTask;
    });

    /// <summary>Keeps <paramref name="timer"/> running <paramref name="work"/> every <paramref name="period"/> while
    /// <paramref name="needed"/>, else stops it; returns the timer to keep.</summary>
    private IGrainTimer? Every(IGrainTimer? timer, TimeSpan period, bool needed, Func<Task> work)
    {
        if (!needed)
        {
            timer?.Dispose();
            return null;
        }
        return timer ?? this.RegisterGrainTimer(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception exception)
            {
                LogRecheckFailed(logger, exception);
            }
        }, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    private Task Write() => state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Converting the Gateway API resources again failed; the next recheck retries")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception);
}

using Envoy.Config.Core.V3;
using Grpc.Core;
using Mesh.Grains.Endpoints;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Registration;

/// <summary>Auto-registration, as Istio does it from a WorkloadGroup: a proxy that asks for it in its node metadata
/// gets a WorkloadEntry built from that metadata, held by a lease for as long as its stream lives. The stream renews
/// the lease every third of its duration; a graceful end of the stream deletes the entry at once, a cut stream
/// leaves it to expire.</summary>
internal sealed partial class WorkloadRegistration
{
    private readonly IGrainFactory _grains;
    private readonly WorkloadLease _lease;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewing = Task.CompletedTask;

    private WorkloadRegistration(IGrainFactory grains, WorkloadLease lease, string key, ILogger logger)
    {
        _grains = grains;
        _lease = lease;
        Key = key;
        _logger = logger;
    }

    /// <summary><c>namespace/name</c> of the WorkloadEntry.</summary>
    public string Key { get; }

    /// <summary>The registration the node asks for, or null when it does not ask (see <see cref="RegisteredEntry"/>).</summary>
    public static WorkloadRegistration? For(Node node, string holder, Security.WorkloadCredential? credential, IGrainFactory grains, TimeSpan lease, ILogger logger) =>
        RegisteredEntry.From(node, credential) is { } asked
            ? new WorkloadRegistration(grains, new WorkloadLease { Holder = holder, Entry = asked.Entry, Duration = lease }, asked.Key, logger)
            : null;

    /// <summary>Registers now (the stream's first response waits for it), then renews in the background.</summary>
    public async Task Start()
    {
        try
        {
            await Grain().Hold(_lease);
        }
        catch (InvalidOperationException exception)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, exception.Message));
        }
        _renewing = Renew(_stop.Token);
    }

    /// <summary>The stream ended: renewals stop, and a graceful end (the proxy closed its side) deregisters at once; a
    /// cut stream leaves the lease to expire.</summary>
    public async Task End(bool graceful)
    {
        await _stop.CancelAsync();
        await _renewing;
        if (!graceful) return;
        try
        {
            await Grain().Release(_lease.Holder);
        }
        catch (Exception exception)
        {
            // The lease then simply expires.
            LogReleaseFailed(_logger, Key, exception);
        }
    }

    private IWorkloadLeaseGrain Grain() => _grains.GetGrain<IWorkloadLeaseGrain>(Key);

    private async Task Renew(CancellationToken token)
    {
        var every = _lease.Duration / 3;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, token);
                await Grain().Hold(_lease);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRenewFailed(_logger, Key, exception);
            }
        }
    }

    [LoggerMessage(EventId = 5210, Level = LogLevel.Warning, Message = "Could not renew the registration lease of {Key}; retrying")]
    private static partial void LogRenewFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Warning, Message = "Could not release the registration of {Key} at once; it expires with its lease")]
    private static partial void LogReleaseFailed(ILogger logger, string key, Exception exception);
}

using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Config.Validation;
using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

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

    /// <summary>The registration the node asks for, or null when it does not ask. Metadata that does not make a valid
    /// WorkloadEntry fails the stream with every problem named, and registers nothing.</summary>
    /// <param name="credential">When the proxy authenticated, its workload has a sidecar that speaks mTLS: the entry
    /// carries Istio's <c>security.istio.io/tlsMode: istio</c> label and the identity's service account.</param>
    public static WorkloadRegistration? For(Node node, string holder, Security.WorkloadCredential? credential, StreamContext context, ILogger logger)
    {
        var metadata = node.Metadata;
        if (metadata is null || NodeMetadata.Text(metadata, NodeMetadata.AutoRegister) != "true") return null;
        var @namespace = NodeMetadata.Text(metadata, NodeMetadata.Namespace) ?? "";
        var name = NodeMetadata.Text(metadata, NodeMetadata.WorkloadName) ?? "";
        var document = Document(node, @namespace, name);
        if (credential is not null)
        {
            document["metadata"]!["labels"]![MeshIdentity.TlsModeLabel] = TlsModes.Istio;
            document["spec"]!["labels"]![MeshIdentity.TlsModeLabel] = TlsModes.Istio;
            document["spec"]!["serviceAccount"] = credential.Identity.ServiceAccount;
        }
        var result = ResourceValidator.Validate(document, @namespace.Length > 0 ? @namespace : "default");
        if (result.Errors.Count > 0)
        {
            var problems = string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Reason}"));
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"node.metadata asks for auto-registration but does not make a valid WorkloadEntry: {problems} (set {NodeMetadata.Namespace}, {NodeMetadata.WorkloadName}, {NodeMetadata.InstanceIps} and {NodeMetadata.WorkloadPorts})"));
        }
        var entry = new ConfigWrite
        {
            ApiVersion = "networking.istio.io/v1",
            Labels = document["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            Annotations = new Dictionary<string, string> { ["mesh.io/auto-registered"] = "true", ["mesh.io/registered-by"] = node.Id },
            SpecJson = document["spec"]!.ToJsonString(),
        };
        var lease = new WorkloadLease { Holder = holder, Entry = entry, Duration = context.Options.RegistrationLease };
        return new WorkloadRegistration(context.Grains, lease, $"{@namespace}/{name}", logger);
    }

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

    private static JsonObject Document(Node node, string @namespace, string name)
    {
        var metadata = node.Metadata;
        var labels = new JsonObject();
        if (metadata.Fields.TryGetValue(NodeMetadata.Labels, out var labelValue) && labelValue.StructValue is { } labelStruct)
        {
            foreach (var (key, value) in labelStruct.Fields) labels[key] = value.StringValue;
        }
        var ports = new JsonObject();
        if (metadata.Fields.TryGetValue(NodeMetadata.WorkloadPorts, out var portValue) && portValue.StructValue is { } portStruct)
        {
            foreach (var (key, value) in portStruct.Fields) ports[key] = value.KindCase == Value.KindOneofCase.NumberValue ? (long)value.NumberValue : value.StringValue;
        }
        var spec = new JsonObject
        {
            ["address"] = (NodeMetadata.Text(metadata, NodeMetadata.InstanceIps) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "",
            ["labels"] = labels.DeepClone(),
            ["ports"] = ports,
        };
        if (NodeMetadata.Text(metadata, NodeMetadata.ServiceAccount) is { Length: > 0 } account) spec["serviceAccount"] = account;
        var locality = string.Join('/', new[] { node.Locality?.Region, node.Locality?.Zone, node.Locality?.SubZone }.Select(p => p ?? "")).TrimEnd('/');
        if (locality.Length > 0) spec["locality"] = locality;
        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "WorkloadEntry",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["labels"] = labels },
            ["spec"] = spec,
        };
    }


    [LoggerMessage(EventId = 5210, Level = LogLevel.Warning, Message = "Could not renew the registration lease of {Key}; retrying")]
    private static partial void LogRenewFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Warning, Message = "Could not release the registration of {Key} at once; it expires with its lease")]
    private static partial void LogReleaseFailed(ILogger logger, string key, Exception exception);
}

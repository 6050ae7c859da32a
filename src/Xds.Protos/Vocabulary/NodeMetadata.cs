namespace Mesh.Xds.Resources;

/// <summary>Keys of <c>node.metadata</c> that Mesh's control plane reads and its sidecar writes: Istio's agent's
/// names, plus Mesh's own for auto-registration.</summary>
public static class NodeMetadata
{
    /// <summary>"true": register this proxy's workload (a WorkloadEntry under a lease).</summary>
    public const string AutoRegister = "MESH_AUTO_REGISTER";
    public const string Namespace = "NAMESPACE";
    public const string WorkloadName = "WORKLOAD_NAME";
    public const string ServiceAccount = "SERVICE_ACCOUNT";
    public const string Labels = "LABELS";
    public const string InstanceIps = "INSTANCE_IPS";
    /// <summary>Port name → the port other proxies reach this workload on.</summary>
    public const string WorkloadPorts = "MESH_WORKLOAD_PORTS";
    /// <summary>What kind of proxy this is (<c>sidecar</c>).</summary>
    public const string Proxy = "MESH_PROXY";
    /// <summary>Where the proxy serves its Prometheus metrics (<c>http://IP:PORT/stats/prometheus</c>), for
    /// <c>meshctl top</c> to find a gateway's from <c>proxy-status</c>.</summary>
    public const string MetricsUrl = "MESH_METRICS_URL";

    /// <summary>The workload's labels (<see cref="Labels"/>, a struct of strings as Istio's agent sends it); empty when
    /// absent. A value that is not a string is left out.</summary>
    public static Dictionary<string, string> LabelsOf(Google.Protobuf.WellKnownTypes.Struct? metadata)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null || !metadata.Fields.TryGetValue(Labels, out var value) || value.StructValue is not { } fields) return labels;
        foreach (var (key, label) in fields.Fields)
        {
            if (label.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue) labels[key] = label.StringValue;
        }
        return labels;
    }

    /// <summary>A string value of node metadata; null when absent or not a string.</summary>
    public static string? Text(Google.Protobuf.WellKnownTypes.Struct? metadata, string key)
        => metadata is not null && metadata.Fields.TryGetValue(key, out var value)
            && value.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue ? value.StringValue : null;
}

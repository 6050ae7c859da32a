using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;
using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Registration;

/// <summary>The WorkloadEntry a proxy asks to be registered as (<c>namespace/name</c> and its content), built from
/// its node metadata as Istio builds one from a WorkloadGroup.</summary>
internal sealed record RegisteredEntry(string Key, ConfigWrite Entry)
{
    /// <summary>The entry the node asks for, or null when it does not ask. Metadata that does not make a valid
    /// WorkloadEntry fails the stream with every problem named, and registers nothing.</summary>
    /// <param name="credential">When the proxy authenticated, its workload has a sidecar that speaks mTLS: the entry
    /// carries Istio's <c>security.istio.io/tlsMode: istio</c> label and the identity's service account.</param>
    public static RegisteredEntry? From(Node node, Security.WorkloadCredential? credential)
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
            ApiVersion = ResourceKinds.WorkloadEntry.PreferredApiVersion,
            Labels = document["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            Annotations = new Dictionary<string, string> { [WorkloadAnnotations.AutoRegistered] = "true", [WorkloadAnnotations.RegisteredBy] = node.Id },
            SpecJson = document["spec"]!.ToJsonString(),
        };
        return new RegisteredEntry(WorkloadKey.Of(@namespace, name), entry);
    }

    private static JsonObject Document(Node node, string @namespace, string name)
    {
        var metadata = node.Metadata;
        var labels = new JsonObject();
        foreach (var (key, value) in NodeMetadata.LabelsOf(metadata)) labels[key] = value;
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
            ["apiVersion"] = ResourceKinds.WorkloadEntry.PreferredApiVersion,
            ["kind"] = KindNames.WorkloadEntry,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["labels"] = labels },
            ["spec"] = spec,
        };
    }
}

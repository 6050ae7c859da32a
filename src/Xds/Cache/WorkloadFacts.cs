using System.Text.Json.Nodes;
using Mesh.Grains.Config;

namespace Mesh.Xds.Cache;

/// <summary>What inbound policy needs of a WorkloadEntry: the labels its selectors match (metadata labels, then spec
/// labels over them) and the service account its proxy must have authenticated as.</summary>
public sealed record WorkloadFacts(IReadOnlyDictionary<string, string> Labels, string ServiceAccount)
{
    /// <summary>Kubernetes' (and Istio's) service account for a workload that names none.</summary>
    public const string DefaultServiceAccount = "default";

    public static WorkloadFacts Of(StoredConfig stored)
    {
        var labels = new Dictionary<string, string>(stored.Labels, StringComparer.Ordinal);
        var spec = JsonNode.Parse(stored.SpecJson) as JsonObject;
        if (spec?["labels"] is JsonObject specLabels)
        {
            foreach (var (key, value) in specLabels)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text)) labels[key] = text;
            }
        }
        var account = spec?["serviceAccount"] is JsonValue sa && sa.TryGetValue<string>(out var name) && name.Length > 0 ? name : DefaultServiceAccount;
        return new WorkloadFacts(labels, account);
    }
}

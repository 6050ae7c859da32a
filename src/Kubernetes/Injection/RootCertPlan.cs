using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Injection;

/// <summary>The <c>mesh-ca-root-cert</c> ConfigMap every injected pod mounts (Istio's <c>istio-ca-root-cert</c>): which
/// namespaces need one written, and what it holds. Like istiod, it goes in every namespace, not only those labelled
/// for injection, because a pod can opt in by its own <c>sidecar.istio.io/inject</c> label in any namespace; the
/// Kubernetes system namespaces (no pods of the mesh there) and terminating ones (creates are refused) are skipped.</summary>
public static class RootCertPlan
{
    /// <summary>The key the injected volume reads (<see cref="SidecarTemplate.Volumes"/>).</summary>
    public const string Key = "root-cert.pem";

    public static readonly IReadOnlySet<string> SystemNamespaces = new HashSet<string>(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>What must be written so that each namespace that should hold the ConfigMap holds exactly
    /// <paramref name="roots"/>: a create where it is missing, a replace (at the version read) where it was edited.</summary>
    /// <param name="namespaces">Namespace objects as the API server returns them.</param>
    /// <param name="held">The ConfigMaps of that name there are now, by namespace.</param>
    public static IReadOnlyList<RootCertWrite> Writes(IEnumerable<JsonObject> namespaces, IReadOnlyDictionary<string, JsonObject> held, string roots)
    {
        var writes = new List<RootCertWrite>();
        foreach (var ns in namespaces)
        {
            var name = ns["metadata"]?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) || SystemNamespaces.Contains(name) || IsTerminating(ns)) continue;
            if (!held.TryGetValue(name, out var current)) writes.Add(new RootCertWrite(name, null));
            else if (!Holds(current, roots)) writes.Add(new RootCertWrite(name, current["metadata"]?["resourceVersion"]?.GetValue<string>() ?? ""));
        }
        return writes;
    }

    /// <summary>Whether the ConfigMap's data is exactly the roots: a changed value or an added key is an edit to undo.</summary>
    public static bool Holds(JsonObject configMap, string roots) =>
        configMap["data"] is JsonObject data && data.Count == 1 && data[Key] is JsonValue value && value.TryGetValue<string>(out var pem) && pem == roots
        && configMap["binaryData"] is null or JsonObject { Count: 0 };

    private static bool IsTerminating(JsonObject ns) =>
        ns["status"]?["phase"]?.GetValue<string>() == "Terminating" || ns["metadata"]?["deletionTimestamp"] is not null;
}

/// <summary>One ConfigMap to write: created when <see cref="ResourceVersion"/> is null, else replaced at that version.</summary>
public sealed record RootCertWrite(string Namespace, string? ResourceVersion);

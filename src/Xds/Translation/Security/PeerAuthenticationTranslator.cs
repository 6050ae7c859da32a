using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>The mTLS mode one workload's inbound enforces, from the PeerAuthentications that apply to it, with
/// Istio's precedence: a workload policy (selector) over the namespace's over the mesh's (root namespace); UNSET
/// inherits; a port-level mode (on a workload policy) overrides for that port; with no policy at all, PERMISSIVE.</summary>
public static class PeerAuthenticationTranslator
{
    public const string Strict = "STRICT";
    public const string Permissive = "PERMISSIVE";
    public const string Disable = "DISABLE";

    public static MutualTlsPolicy Effective(IReadOnlyList<ConfigSpec> all, string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels, string rootNamespace)
    {
        var policies = WorkloadPolicySelector.Select(all, workloadNamespace, workloadLabels, rootNamespace)
            .Select(SecurityPolicy.Of)
            .Where(p => p.Kind == SecurityPolicy.PeerAuthentication)
            .ToList();
        var mesh = policies.FirstOrDefault(p => p.Namespace == rootNamespace && p.Spec["selector"] is null && p.Namespace != workloadNamespace);
        var ns = policies.FirstOrDefault(p => p.Namespace == workloadNamespace && p.Spec["selector"] is null);
        var workload = policies.FirstOrDefault(p => p.Namespace == workloadNamespace && p.Spec["selector"] is not null);
        var mode = Permissive;
        mode = Mode(mesh?.Spec.Obj("mtls")) ?? mode;
        mode = Mode(ns?.Spec.Obj("mtls")) ?? mode;
        mode = Mode(workload?.Spec.Obj("mtls")) ?? mode;
        var ports = new SortedDictionary<uint, string>();
        foreach (var (port, value) in workload?.Spec.SortedEntries("portLevelMtls") ?? [])
        {
            if (uint.TryParse(port, out var number)) ports[number] = Mode(value as System.Text.Json.Nodes.JsonObject) ?? mode;
        }
        return new MutualTlsPolicy(mode, ports);
    }

    private static string? Mode(System.Text.Json.Nodes.JsonObject? mtls) => mtls.Str("mode") is { } mode && mode != "UNSET" ? mode : null;
}

/// <summary>The effective mTLS mode of a workload, and per-port overrides.</summary>
public sealed record MutualTlsPolicy(string Mode, IReadOnlyDictionary<uint, string> Ports)
{
    public string ForPort(uint port) => Ports.TryGetValue(port, out var mode) ? mode : Mode;
}

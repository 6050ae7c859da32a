using Mesh.Config.Kinds;
using Mesh.Config.Views.Security;
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
            .Where(c => SecurityPolicy.KindOf(c) == KindNames.PeerAuthentication)
            .Select(SecurityPolicy.Peer)
            .ToList();
        var mesh = policies.FirstOrDefault(p => p.Namespace == rootNamespace && !p.View.Selection.HasSelector && p.Namespace != workloadNamespace);
        var ns = policies.FirstOrDefault(p => p.Namespace == workloadNamespace && !p.View.Selection.HasSelector);
        var workload = policies.FirstOrDefault(p => p.Namespace == workloadNamespace && p.View.Selection.HasSelector);
        var mode = Permissive;
        mode = Mode(mesh?.View.Mode) ?? mode;
        mode = Mode(ns?.View.Mode) ?? mode;
        mode = Mode(workload?.View.Mode) ?? mode;
        var ports = new SortedDictionary<uint, string>();
        foreach (var (port, value) in workload?.View.PortLevelMtls ?? new Dictionary<uint, string>())
        {
            ports[port] = Mode(value) ?? mode;
        }
        return new MutualTlsPolicy(mode, ports);
    }

    /// <summary>UNSET inherits.</summary>
    private static string? Mode(string? mode) => mode is { } set && set != PeerAuthenticationView.Unset ? set : null;
}

/// <summary>The effective mTLS mode of a workload, and per-port overrides.</summary>
public sealed record MutualTlsPolicy(string Mode, IReadOnlyDictionary<uint, string> Ports);

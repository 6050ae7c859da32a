using System.Globalization;
using System.Text.Json.Nodes;

namespace Mesh.Config.Views.Security;

/// <summary>A validated PeerAuthentication, read once: the workloads it applies to, its mTLS mode (UNSET when not set,
/// which inherits, as in Istio) and the modes of single ports.</summary>
public sealed record PeerAuthenticationView(WorkloadSelection Selection, string Mode, IReadOnlyDictionary<uint, string> PortLevelMtls)
{
    public const string Unset = "UNSET";

    /// <summary>Reads a spec that passed validation.</summary>
    public static PeerAuthenticationView From(JsonObject spec)
    {
        var ports = new SortedDictionary<uint, string>();
        foreach (var (port, mode) in spec.Map("portLevelMtls", m => m.Str("mode") ?? Unset))
        {
            if (uint.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) ports[number] = mode;
        }
        return new(WorkloadSelection.From(spec), spec.Obj("mtls").Str("mode") ?? Unset, ports);
    }
}

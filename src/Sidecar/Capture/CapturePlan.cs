using System.Net;

namespace Mesh.Sidecar.Capture;

/// <summary>What <c>mesh-sidecar capture</c> sets up in the pod's network namespace, as istio-init does: which TCP
/// traffic is redirected to the sidecar's outbound and inbound listeners, and whose traffic is never redirected (the
/// sidecar's own, by owner, so that its upstream connections do not loop back into it).</summary>
public sealed record CapturePlan
{
    /// <summary>The uid the sidecar runs as; its connections leave the pod as they are.</summary>
    public required int ProxyUid { get; init; }

    /// <summary>Also exempt this group's traffic (the sidecar's group), when given.</summary>
    public int? ProxyGid { get; init; }

    public int OutboundPort { get; init; } = 15001;

    public int InboundPort { get; init; } = 15006;

    /// <summary>Inbound ports captured; null is every port (<c>*</c>) but <see cref="ExcludeInboundPorts"/>, empty is none.</summary>
    public IReadOnlyList<int>? InboundPorts { get; init; }

    /// <summary>Never captured inbound: the sidecar's own admin, health and metrics ports and whatever else is asked.</summary>
    public IReadOnlyList<int> ExcludeInboundPorts { get; init; } = [];

    public IReadOnlyList<int> ExcludeOutboundPorts { get; init; } = [];

    /// <summary>Outbound destination ports captured even outside the included ranges (unless the port or the
    /// destination range is excluded).</summary>
    public IReadOnlyList<int> IncludeOutboundPorts { get; init; } = [];

    /// <summary>Destinations captured outbound; null is every destination (<c>*</c>), empty is none.</summary>
    public IReadOnlyList<IPNetwork>? IncludeOutboundCidrs { get; init; }

    public IReadOnlyList<IPNetwork> ExcludeOutboundCidrs { get; init; } = [];

    /// <summary>Also install the rules with ip6tables; null decides by the pod: when its network namespace has an
    /// IPv6 address beyond loopback and link-local (istio-init likewise programs ip6tables when the pod IP is IPv6).</summary>
    public bool? Ipv6 { get; init; }
}

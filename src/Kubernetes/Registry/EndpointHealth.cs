using k8s.Models;

namespace Mesh.Kubernetes.Registry;

/// <summary>What an EndpointSlice endpoint's conditions say about sending it traffic.</summary>
public enum EndpointHealth
{
    /// <summary>Ready: gets new requests.</summary>
    Healthy,

    /// <summary>Not ready, but still serving while it terminates: finishes what it has, gets no new requests (Envoy's
    /// DRAINING; istiod sends it so only with persistent sessions).</summary>
    Draining,

    /// <summary>Terminating and no longer serving.</summary>
    Terminating,

    /// <summary>Not ready and not terminating (starting, or failing its readiness probe).</summary>
    Unhealthy,
}

/// <summary>Reads <see cref="EndpointHealth"/> from <c>conditions</c>, as istiod's EndpointSlice controller does.</summary>
public static class EndpointConditions
{
    /// <remarks>Unset conditions mean what the Kubernetes API says they mean: <c>ready</c> unset is ready,
    /// <c>serving</c> unset follows <c>ready</c>, <c>terminating</c> unset is not terminating. A Service with
    /// <c>publishNotReadyAddresses</c> takes every endpoint as healthy (the slice controller marks them ready anyway,
    /// but a hand-written slice may not).</remarks>
    public static EndpointHealth Health(V1EndpointConditions? conditions, bool publishNotReadyAddresses)
    {
        var ready = conditions?.Ready ?? true;
        if (ready || publishNotReadyAddresses) return EndpointHealth.Healthy;
        var serving = conditions?.Serving ?? ready;
        var terminating = conditions?.Terminating ?? false;
        if (terminating) return serving ? EndpointHealth.Draining : EndpointHealth.Terminating;
        return EndpointHealth.Unhealthy;
    }
}

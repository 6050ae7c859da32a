namespace Mesh.Kubernetes.Injection;

/// <summary>The pod annotations of Istio's that tune injection and capture, honoured by Mesh with Istio's meaning
/// (<see cref="InjectionOverrides"/>).</summary>
public static class IstioAnnotations
{
    public const string IncludeInboundPorts = "traffic.sidecar.istio.io/includeInboundPorts";
    public const string ExcludeInboundPorts = "traffic.sidecar.istio.io/excludeInboundPorts";
    public const string IncludeOutboundIPRanges = "traffic.sidecar.istio.io/includeOutboundIPRanges";
    public const string ExcludeOutboundIPRanges = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    public const string IncludeOutboundPorts = "traffic.sidecar.istio.io/includeOutboundPorts";
    public const string ExcludeOutboundPorts = "traffic.sidecar.istio.io/excludeOutboundPorts";
    public const string InterceptionMode = "sidecar.istio.io/interceptionMode";
    public const string RewriteAppHttpProbers = "sidecar.istio.io/rewriteAppHTTPProbers";
    public const string StatusPort = "status.sidecar.istio.io/port";
    public const string ProxyCpu = "sidecar.istio.io/proxyCPU";
    public const string ProxyMemory = "sidecar.istio.io/proxyMemory";
    public const string ProxyCpuLimit = "sidecar.istio.io/proxyCPULimit";
    public const string ProxyMemoryLimit = "sidecar.istio.io/proxyMemoryLimit";
    public const string LogLevel = "sidecar.istio.io/logLevel";

    /// <summary>A ProxyConfig in YAML; of its fields Mesh honours <see cref="HoldApplicationUntilProxyStarts"/>.</summary>
    public const string ProxyConfig = "proxy.istio.io/config";

    public const string HoldApplicationUntilProxyStarts = "holdApplicationUntilProxyStarts";
}

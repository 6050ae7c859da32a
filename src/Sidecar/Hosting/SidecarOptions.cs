using Mesh.Config.Validation.Rules;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Hosting;

/// <summary>Everything a sidecar is told at start: where the control plane is, who its workload is, and its ports
/// (DESIGN.md's, each overridable so that many sidecars can share a machine).</summary>
public sealed record SidecarOptions
{
    /// <summary>A sidecar in front of an application, or a gateway at the edge (no application, no outbound or inbound
    /// listener: it serves the listeners the control plane gives it on its <see cref="ListenPorts"/>).</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Sidecar;
    /// <summary>The ports a gateway binds at start (a pod's containerPorts): one listener each from the control plane.</summary>
    public IReadOnlyList<int> ListenPorts { get; init; } = [];

    /// <summary>xDS servers, <c>HOST:PORT</c>; any of them will do, tried in turn.</summary>
    public required IReadOnlyList<string> XdsServers { get; init; }
    public string Namespace { get; init; } = "default";
    public string ServiceAccount { get; init; } = "default";
    public required string Workload { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the application listens (on 127.0.0.1); inbound traffic goes there. None: no inbound.</summary>
    public int? AppPort { get; init; }
    /// <summary>The service ports this workload serves, by name; the sidecar registers its workload for them.</summary>
    public IReadOnlyList<WorkloadPort> ServicePorts { get; init; } = [];

    /// <summary>The service ports whose name declares a protocol other than clear-text HTTP (<c>tcp</c>, <c>mysql</c>,
    /// <c>mongo-db</c>, ...): captured inbound connections to them are TCP without protocol sniffing.</summary>
    public IReadOnlySet<int> TcpPorts => ServicePorts
        .Where(p => Mesh.Config.Traffic.Protocols.Declared(p.Name) is { } protocol && !Mesh.Config.Traffic.Protocols.IsHttp(protocol))
        .Select(p => p.Number).ToHashSet();
    /// <summary>The address other sidecars reach this one on (its pod IP; 127.0.0.1 on one machine).</summary>
    public string Address { get; init; } = "127.0.0.1";
    /// <summary><c>region/zone/subzone</c>, for locality-aware load balancing.</summary>
    public string Locality { get; init; } = "";
    public int OutboundPort { get; init; } = 15001;
    public int InboundPort { get; init; } = 15006;
    public int AdminPort { get; init; } = 15000;
    public int HealthPort { get; init; } = 15021;
    public int MetricsPort { get; init; } = 15090;
    /// <summary>How long a graceful stop lets requests in flight finish.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long the first request to a host waits for its config before it is passed through.</summary>
    public TimeSpan DiscoveryTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Access log: <c>stdout</c> (default), <c>off</c>, or a file path.</summary>
    public string AccessLog { get; init; } = "stdout";

    /// <summary>A bearer token for the first certificate (re-read at each use: Kubernetes rotates projected tokens).
    /// With it, the sidecar speaks xDS over mTLS and mTLS to other sidecars; without it, plaintext only.</summary>
    public string? TokenFile { get; init; }
    /// <summary>Roots that sign the control plane's certificate, until the trust bundle arrives over SDS.</summary>
    public string? RootCertFile { get; init; }
    /// <summary>The workload certificate lifetime to ask for; null for the CA's default.</summary>
    public TimeSpan? CertLifetime { get; init; }
    /// <summary>A Unix socket on which the sidecar serves SDS (<c>default</c> and <c>ROOTCA</c>) to local consumers.</summary>
    public string? SdsSocket { get; init; }
    /// <summary>The app's original kubelet probes, by their <c>/app-health/...</c> path on the health port (set by the
    /// injector in <c>MESH_KUBE_APP_PROBERS</c>).</summary>
    public IReadOnlyDictionary<string, Health.AppProbe> AppProbers { get; init; } = new Dictionary<string, Health.AppProbe>();

    /// <summary>Whether this sidecar has (or gets) a workload identity: xDS over TLS, mTLS between sidecars.</summary>
    public bool Secured => TokenFile is not null;

    public bool Gateway => Mode == ProxyMode.Gateway;

    /// <summary>Istio's node id shape: <c>sidecar~IP~POD.NAMESPACE~NAMESPACE.svc.cluster.local</c>, <c>router~...</c>
    /// for a gateway.</summary>
    public string NodeId => new ProxyNodeId(Gateway ? ProxyNodeId.Router : ProxyNodeId.Sidecar, Address, Workload, Namespace, HostNames.ClusterDomain).ToString();

    /// <summary>The gateway's listener names, by listen port (none for a sidecar).</summary>
    public IReadOnlyDictionary<int, string> GatewayListeners => ListenPorts.ToDictionary(p => p, p => XdsNames.GatewayListener(Namespace, Workload, p));

    /// <summary>The workload's canonical name for telemetry: its <c>app</c> label, else its name.</summary>
    public string App => Labels.TryGetValue("app", out var app) ? app : Workload;
}

public enum ProxyMode { Sidecar, Gateway }

/// <summary>A port of a service this workload serves: its name in the ServiceEntry (<c>http</c>) and number.</summary>
public sealed record WorkloadPort(string Name, int Number);

namespace Mesh.Xds;

/// <summary>The xDS front-end's settings (section <c>Mesh:Xds</c>).</summary>
public sealed class XdsOptions
{
    /// <summary>Plaintext xDS port (default 15010).</summary>
    public int Port { get; set; } = 15010;

    /// <summary>Bind address of the plaintext port (default 127.0.0.1). Plaintext xDS is served on loopback only: bound
    /// anywhere else, the port is off and proxies use <see cref="SecurePort"/>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>xDS and the certificate service over mTLS (default 15012).</summary>
    public int SecurePort { get; set; } = 15012;

    /// <summary>Bind address of the secured port (default 127.0.0.1; 0.0.0.0 in Kubernetes).</summary>
    public string SecureAddress { get; set; } = "127.0.0.1";

    /// <summary>Istio's mesh root namespace: a security policy there without a selector applies mesh-wide (default istio-system).</summary>
    public string RootNamespace { get; set; } = Config.Views.Security.WorkloadPolicyScope.DefaultRootNamespace;

    /// <summary>Extra DNS names in the secured port's certificate: the names proxies dial (a Kubernetes Service's).</summary>
    public List<string> ServerNames { get; set; } = [];

    /// <summary>A change is pushed after this much quiet (default 100 ms)...</summary>
    public TimeSpan DebounceQuiet { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>...or at most this long after the first change of a burst (default 1 s).</summary>
    public TimeSpan DebounceMax { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events a stream may have queued before it is closed as too slow (default 1000).</summary>
    public int StreamQueueCapacity { get; set; } = 1000;

    /// <summary>How long a service-grain subscription lives unrenewed (default 30 s; renewed every third of it, and
    /// at once when a silo dies).</summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an auto-registered workload outlives its proxy's lost stream (default 30 s). A proxy that
    /// stops gracefully is deregistered at once.</summary>
    public TimeSpan RegistrationLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Istio's <c>meshConfig.pathNormalization.normalization</c>: what sidecars do to a request path before
    /// routing and policy. NONE, BASE (default: RFC 3986), MERGE_SLASHES or DECODE_AND_MERGE_SLASHES.</summary>
    public string PathNormalization { get; set; } = "BASE";

    /// <summary>Istio's <c>numTrustedProxies</c>: how many proxies in front of a workload append to
    /// <c>x-forwarded-for</c> and are trusted to (default 0: the caller is the connection's peer).</summary>
    public int NumTrustedProxies { get; set; }
}

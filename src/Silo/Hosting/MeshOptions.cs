namespace Mesh.Silo.Hosting;

/// <summary>The silo's settings: section <c>Mesh</c> of .NET configuration (flags, <c>Mesh__...</c> environment, appsettings).</summary>
public sealed class MeshOptions
{
    public const string Section = "Mesh";

    /// <summary><c>sqlite</c> (default: one silo, state under <see cref="DataDir"/>) or <c>redis</c> (a cluster).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Folder for the SQLite database (default <c>./data</c>).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Redis for clustering, grain state and reminders: <c>host:port</c>, or a StackExchange.Redis
    /// configuration string; with Sentinel, the sentinels and the service name
    /// (<c>sentinel-0:26379,sentinel-1:26379,sentinel-2:26379,serviceName=mesh</c>), and the silos follow the
    /// primary the sentinels promote.</summary>
    public string? Redis { get; set; }

    /// <summary>Replicas that must hold a grain-state write before it returns (Redis <c>WAIT</c>), closing the
    /// window in which a promoted replica lacks a write the old primary acknowledged. Default: 1 with Sentinel,
    /// 0 (no wait) with a single server.</summary>
    public int? RedisReplicaAcks { get; set; }

    /// <summary>How long a write waits for <see cref="RedisReplicaAcks"/> before it fails as unconfirmed (default 1 s).</summary>
    public TimeSpan RedisReplicaAckTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public string ClusterId { get; set; } = "mesh";
    public string ServiceId { get; set; } = "mesh";

    /// <summary>Silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos reach this one on; default: loopback for sqlite, the first non-loopback IPv4 for redis.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Address the monitoring port binds to (default 127.0.0.1; 0.0.0.0 in Kubernetes for probes).</summary>
    public string MonitoringAddress { get; set; } = "127.0.0.1";

    /// <summary>Metrics and health (default 15014).</summary>
    public int MonitoringPort { get; set; } = 15014;

    public ApiOptions Api { get; set; } = new();

    /// <summary>The xDS front-end (port 15010 by default).</summary>
    public Mesh.Xds.XdsOptions Xds { get; set; } = new();

    public MembershipOptions Membership { get; set; } = new();

    /// <summary>The sidecar-injection and validation webhooks (HTTPS, 15017 in a cluster).</summary>
    public Admission.AdmissionOptions Admission { get; set; } = new();

    /// <summary>Where the CA's at-rest key comes from (the CA's other settings bind from the same section).</summary>
    public CaFileOptions Ca { get; set; } = new();

    /// <summary>The Kubernetes API server the source reads (<c>--kubeconfig</c>, <c>--kube-api</c>; in a cluster, its own).</summary>
    public Kubernetes.Source.KubernetesOptions Kubernetes { get; set; } = new();

    /// <summary>How long a change-feed subscription lives without renewal (default 2 minutes).</summary>
    public TimeSpan FeedSubscriptionExpiry { get; set; } = TimeSpan.FromMinutes(2);

    public bool UsesRedis => string.Equals(Store, "redis", StringComparison.OrdinalIgnoreCase);

    public int ReplicaAcksFor(Storage.RedisStore redis) => RedisReplicaAcks ?? (redis.UsesSentinels ? 1 : 0);
}

/// <summary>The management API's endpoints and access.</summary>
public sealed class ApiOptions
{
    /// <summary>Bind address (default 127.0.0.1). Any other address requires a token or a users file.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>gRPC, cleartext HTTP/2 (default 15020).</summary>
    public int Port { get; set; } = 15020;

    /// <summary>HTTP/JSON, HTTP/1.1 (default 15080).</summary>
    public int HttpPort { get; set; } = 15080;

    /// <summary>Bearer token callers must present. Prefer <see cref="TokenFile"/> or the <c>MESH_API_TOKEN</c> environment variable.</summary>
    public string? Token { get; set; }

    /// <summary>File holding the bearer token (a mounted Kubernetes Secret, say). Its holder is user <c>admin</c>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>YAML file of the API's users, each with a role (admin, editor of some namespaces, viewer) and the
    /// SHA-256 of its token. With it, every call needs a token, on loopback too.</summary>
    public string? UsersFile { get; set; }
}

/// <summary>The certificate authority's key file (section <c>Mesh:Ca</c>).</summary>
public sealed class CaFileOptions
{
    /// <summary>32 bytes (raw, base64 or hex) that encrypt the CA's private keys in storage; required for a cluster.
    /// The embedded silo makes <c>DATA/ca-encryption.key</c> when none is given.</summary>
    public string? EncryptionKeyFile { get; set; }
}

/// <summary>How fast a dead silo is declared dead: until then, calls to the grains it held fail or wait, and the
/// management API retries writes within its budget (<c>Api/WriteRetry</c>, 15 s).
/// <para><c>production</c> (the default): ProbeTimeout 2 s (Orleans 10 adapts each silo's probe timeout and period to the
/// probes' observed round trips, between half and four times this: 1-8 s), 3 missed probes, 2 votes, the membership
/// table read every 10 s. A SIGKILLed silo refuses connections at once, so its probes fail as fast as they are sent:
/// declared dead in about 3-6 s (Orleans' defaults, ProbeTimeout 5 s: 6-10 s measured, 14 s by the book). What keeps
/// a slow but live silo on a loaded 2-core machine from being declared dead is left on: the prober extends its
/// timeout while it is itself degraded (<c>ExtendProbeTimeoutDuringDegradation</c>), asks another silo to probe
/// before voting (<c>EnableIndirectProbes</c>), and withholds its vote while the suspect's connection still carries
/// messages (<c>EnableConnectionLivenessCheck</c>); and death needs two silos' votes. Orleans' defaults are kept for
/// the rest (defunct entries expire after 7 days, at most 25 kept). The silo has no external Orleans clients (the
/// xDS front-end and API call grains in-process), so no gateway setting matters.</para>
/// <para><c>test</c> (or <see cref="Fast"/>): ProbeTimeout 1 s, 2 missed probes, 1 vote: about 1 s, but one slow
/// probe can declare a live silo dead on a loaded machine; for tests only.</para></summary>
public sealed class MembershipOptions
{
    public string Profile { get; set; } = "production";

    public bool Fast { get; set; }

    public bool IsFast => Fast || string.Equals(Profile, "test", StringComparison.OrdinalIgnoreCase);

    /// <summary>Sets Orleans' membership options for this profile.</summary>
    public void Apply(Orleans.Configuration.ClusterMembershipOptions membership)
    {
        if (IsFast)
        {
            membership.ProbeTimeout = TimeSpan.FromSeconds(1);
            membership.NumMissedProbesLimit = 2;
            membership.NumVotesForDeathDeclaration = 1;
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            return;
        }
        membership.ProbeTimeout = TimeSpan.FromSeconds(2);
        membership.NumMissedProbesLimit = 3;
        membership.NumVotesForDeathDeclaration = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        membership.ExtendProbeTimeoutDuringDegradation = true;
        membership.EnableIndirectProbes = true;
        membership.EnableConnectionLivenessCheck = true;
    }
}

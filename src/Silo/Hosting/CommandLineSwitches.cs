namespace Mesh.Silo.Hosting;

/// <summary>The silo's command-line flags, each an alias for a <c>Mesh:</c> configuration key.</summary>
public static class CommandLineSwitches
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["--store"] = "Mesh:Store",
        ["--data"] = "Mesh:DataDir",
        ["--redis"] = "Mesh:Redis",
        ["--redis-replica-acks"] = "Mesh:RedisReplicaAcks",
        ["--cluster-id"] = "Mesh:ClusterId",
        ["--service-id"] = "Mesh:ServiceId",
        ["--silo-port"] = "Mesh:SiloPort",
        ["--gateway-port"] = "Mesh:GatewayPort",
        ["--advertise"] = "Mesh:AdvertisedAddress",
        ["--monitoring-address"] = "Mesh:MonitoringAddress",
        ["--monitoring-port"] = "Mesh:MonitoringPort",
        ["--api-address"] = "Mesh:Api:Address",
        ["--api-port"] = "Mesh:Api:Port",
        ["--api-http-port"] = "Mesh:Api:HttpPort",
        ["--token-file"] = "Mesh:Api:TokenFile",
        ["--api-users-file"] = "Mesh:Api:UsersFile",
        ["--fast-membership"] = "Mesh:Membership:Fast",
        ["--xds-address"] = "Mesh:Xds:Address",
        ["--xds-port"] = "Mesh:Xds:Port",
        ["--xds-secure-address"] = "Mesh:Xds:SecureAddress",
        ["--xds-secure-port"] = "Mesh:Xds:SecurePort",
        ["--xds-server-name"] = "Mesh:Xds:ServerNames:0",
        ["--trust-domain"] = "Mesh:Ca:TrustDomain",
        ["--ca-certs-dir"] = "Mesh:Ca:CertsDir",
        ["--ca-key-algorithm"] = "Mesh:Ca:KeyAlgorithm",
        ["--ca-encryption-key-file"] = "Mesh:Ca:EncryptionKeyFile",
        ["--workload-cert-ttl"] = "Mesh:Ca:WorkloadLifetime",
        ["--max-workload-cert-ttl"] = "Mesh:Ca:MaxWorkloadLifetime",
        ["--xds-debounce"] = "Mesh:Xds:DebounceQuiet",
        ["--registration-lease"] = "Mesh:Xds:RegistrationLease",
        ["--feed-expiry"] = "Mesh:FeedSubscriptionExpiry",
        ["--path-normalization"] = "Mesh:Xds:PathNormalization",
        ["--num-trusted-proxies"] = "Mesh:Xds:NumTrustedProxies",
        ["--webhook-port"] = "Mesh:Admission:Port",
        ["--webhook-address"] = "Mesh:Admission:Address",
        ["--webhook-service"] = "Mesh:Admission:ServiceName",
        ["--webhook-namespace"] = "Mesh:Admission:ServiceNamespace",
        ["--sidecar-image"] = "Mesh:Admission:SidecarImage",
        ["--kubeconfig"] = "Mesh:Kubernetes:Kubeconfig",
        ["--kube-api"] = "Mesh:Kubernetes:ApiUrl",
    };

    public const string Help = """
        mesh-silo: the Mesh control plane (an Orleans silo with the management API).

        Usage: mesh-silo [options]    (each option is also Mesh__<Key> in the environment)

          --store sqlite|redis        state store (default sqlite: one silo, no other setup)
          --data DIR                  SQLite data folder (default ./data)
          --redis HOST:PORT           Redis for a cluster (required with --store redis); with Sentinel:
                                      SENTINEL:PORT,SENTINEL:PORT,...,serviceName=NAME
          --redis-replica-acks N      replicas that must hold a write before it returns (default 1 with
                                      Sentinel, else 0)
          --cluster-id ID, --service-id ID   Orleans cluster and service ids (default mesh)
          --silo-port N               silo-to-silo port (default 11111)
          --gateway-port N            Orleans gateway port (default 30000)
          --advertise IP              address other silos use to reach this one
          --api-address IP            management API bind address (default 127.0.0.1)
          --api-port N                management API, gRPC (default 15020)
          --api-http-port N           management API, HTTP/JSON (default 15080)
          --token-file FILE           bearer token for the API, user admin (or MESH_API_TOKEN)
          --api-users-file FILE       the API's users: name, role (admin, editor, viewer), namespaces, tokenSha256
                                      (a token or a users file is required off loopback)
          --xds-address IP            xDS bind address (default 127.0.0.1)
          --xds-port N                xDS, plaintext gRPC (default 15010; served only when --xds-address is loopback)
          --xds-secure-address IP     xDS and certificates over mTLS, bind address (default 127.0.0.1)
          --xds-secure-port N         xDS and certificates over mTLS (default 15012)
          --xds-server-name NAME      extra DNS name in the 15012 certificate (the name sidecars dial)
          --trust-domain NAME         SPIFFE trust domain (default cluster.local)
          --ca-certs-dir DIR          sign with this CA (Istio's cacerts layout) instead of a generated root
          --ca-key-algorithm ECDSA|RSA   key of a generated root (default ECDSA P-256)
          --ca-encryption-key-file F  32-byte key encrypting the CA's keys at rest (required for a cluster)
          --workload-cert-ttl 24:00:00   default workload certificate lifetime
          --max-workload-cert-ttl 90.00:00:00   longest lifetime a workload may ask for
          --xds-debounce 00:00:00.1   quiet time before a change is pushed (at most 1 s after the first)
          --monitoring-address IP     metrics and health bind address (default 127.0.0.1)
          --monitoring-port N         /metrics, /healthz, /readyz (default 15014)
          --fast-membership true      detect dead silos in ~1 s (tests) instead of ~14 s
          --feed-expiry 00:02:00      change-feed subscription lifetime
          --path-normalization BASE   what sidecars do to request paths before routing and policy (Istio's
                                      meshConfig.pathNormalization): NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES
          --num-trusted-proxies 0     proxies in front of workloads trusted to append x-forwarded-for (Istio's
                                      numTrustedProxies); 0: the caller is the connection's peer
          --webhook-port N            admission webhooks over HTTPS, /inject and /validate (default 15017 in a
                                      cluster; off elsewhere unless given)
          --webhook-address IP        webhook bind address (default every interface)
          --webhook-service NAME, --webhook-namespace NS   the webhook Service, named in its certificate
                                      (default mesh-webhook in the silo's namespace, else mesh-system)
          --sidecar-image IMAGE       the image injected pods run mesh-sidecar from
          --kubeconfig FILE           read Services, pods and Istio's CRDs from this cluster (in a pod: its own)
          --kube-api URL              the same from a plain URL without credentials (kubectl proxy, a test's fake)
        """;

    /// <summary>A bare boolean flag (<c>--fast-membership</c>) means true.</summary>
    public static string[] Normalize(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            if (args[i] == "--fast-membership" && (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                result.Add("true");
            }
        }
        return [.. result];
    }
}

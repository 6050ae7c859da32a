using System.Text.Json.Nodes;
using Mesh.Config.Views.Security;

namespace Mesh.Config.Views.Gateways;

/// <summary>A validated Gateway, read once: the workloads that serve it and the servers (port, hosts, TLS) they run.</summary>
public sealed record GatewayView
{
    /// <summary>Labels of the gateway workloads; empty selects none in particular.</summary>
    public IReadOnlyDictionary<string, string> Selector { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<GatewayServer> Servers { get; init; } = [];

    /// <summary>The gateway workloads an Istio Gateway runs on: in any namespace, those whose labels include
    /// <see cref="Selector"/>.</summary>
    public WorkloadSelection Selection => new(Selector, ByTargetRef: false);

    /// <summary>Reads a spec that passed validation.</summary>
    public static GatewayView From(JsonObject spec) => new()
    {
        Selector = spec.StringMap("selector"),
        Servers = [.. spec.Objects("servers").Select(GatewayServer.From)],
    };
}

/// <summary>Istio's <c>Server</c>: a port, the hosts served on it (<c>namespace/host</c> or a bare host), and TLS.</summary>
public sealed record GatewayServer(GatewayPort Port, IReadOnlyList<string> Hosts, ServerTlsSettings? Tls, string? Bind, string? Name)
{
    internal static GatewayServer From(JsonObject server) => new(
        GatewayPort.From(server.Obj("port")),
        server.Strings("hosts"),
        server.Obj("tls") is { } tls ? ServerTlsSettings.From(tls) : null,
        server.Str("bind"),
        server.Str("name"));
}

/// <summary>Istio's <c>Port</c>: number, protocol (upper case as Istio compares it), name, and the port the workload
/// listens on (0: the same number).</summary>
public sealed record GatewayPort(int Number, string Protocol, string Name, int TargetPort)
{
    internal static GatewayPort From(JsonObject? port) => new(
        (int)(port.Long("number") ?? 0), (port.Str("protocol") ?? "").ToUpperInvariant(), port.Str("name") ?? "", (int)(port.Long("targetPort") ?? 0));
}

/// <summary>The parts of Istio's <c>ServerTLSSettings</c> a gateway needs: its certificates and TLS parameters.</summary>
public sealed record ServerTlsSettings(string? Mode, bool HttpsRedirect, string? CredentialName, IReadOnlyList<string> CredentialNames,
    string? ServerCertificate, string? PrivateKey, string? CaCertificates, IReadOnlyList<string> SubjectAltNames)
{
    /// <summary><c>TLS_AUTO</c>, <c>TLSV1_0</c> ... <c>TLSV1_3</c>; null: Envoy's default.</summary>
    public string? MinProtocolVersion { get; init; }
    public string? MaxProtocolVersion { get; init; }
    public IReadOnlyList<string> CipherSuites { get; init; } = [];

    /// <summary>Whether the gateway terminates TLS for the server (a plaintext server may set only httpsRedirect).</summary>
    public bool Terminates => Mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL";

    public bool Passthrough => Mode == "PASSTHROUGH";

    /// <summary>credentialName, then credentialNames (several certificates, e.g. RSA and ECDSA, for one server).</summary>
    public IReadOnlyList<string> Credentials => CredentialName is { } name ? [name, .. CredentialNames] : CredentialNames;

    internal static ServerTlsSettings From(JsonObject tls) => new(
        tls.Str("mode"), tls.Bool("httpsRedirect") ?? false, tls.Str("credentialName"), tls.Strings("credentialNames"),
        tls.Str("serverCertificate"), tls.Str("privateKey"), tls.Str("caCertificates"), tls.Strings("subjectAltNames"))
    {
        MinProtocolVersion = tls.Str("minProtocolVersion"),
        MaxProtocolVersion = tls.Str("maxProtocolVersion"),
        CipherSuites = tls.Strings("cipherSuites"),
    };
}

namespace Mesh.Config.Traffic;

/// <summary>The port protocols Istio knows, as a ServiceEntry or Gateway port writes them (upper case): known to the
/// validator and to the Kubernetes registry, which derives them from Service ports.</summary>
public static class Protocols
{
    public const string Http = "HTTP";
    public const string Https = "HTTPS";
    public const string Grpc = "GRPC";
    public const string GrpcWeb = "GRPC-WEB";
    public const string Http2 = "HTTP2";
    public const string Mongo = "MONGO";
    public const string MySql = "MYSQL";
    public const string Redis = "REDIS";
    public const string Tcp = "TCP";
    public const string Tls = "TLS";
    public const string Udp = "UDP";
    public const string Hbone = "HBONE";

    /// <summary>Every protocol a port may declare.</summary>
    public static readonly IReadOnlyList<string> All = [Http, Https, Grpc, GrpcWeb, Http2, Mongo, MySql, Redis, Tcp, Tls, Udp, Hbone];

    /// <summary>The protocol a port name declares as Istio's explicit protocol selection reads it: <c>PROTOCOL</c> or
    /// <c>PROTOCOL-suffix</c>, case ignored, <c>grpc-web</c> first (it has a dash of its own); null when it declares
    /// none.</summary>
    public static string? Declared(string portName)
    {
        if (portName.StartsWith("grpc-web", StringComparison.OrdinalIgnoreCase)) return GrpcWeb;
        var dash = portName.IndexOf('-');
        return Parse(dash >= 0 ? portName[..dash] : portName);
    }

    /// <summary>Whether a protocol is HTTP on the wire in clear text (what a sidecar routes as HTTP).</summary>
    public static bool IsHttp(string protocol) => protocol is Http or Http2 or Grpc or GrpcWeb;

    /// <summary>The known protocol <paramref name="name"/> names, ignoring case as Istio does; null when it names none.</summary>
    public static string? Parse(string name) => All.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
}

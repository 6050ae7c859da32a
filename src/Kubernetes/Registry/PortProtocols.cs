using k8s.Models;
using Mesh.Config.Traffic;

namespace Mesh.Kubernetes.Registry;

/// <summary>A Service port's protocol, chosen as istiod's explicit protocol selection does.</summary>
/// <remarks>
/// <list type="number">
/// <item>A UDP port is UDP.</item>
/// <item>If <c>appProtocol</c> is set it alone decides (istiod does not fall back to the name): Kubernetes' own
/// <c>kubernetes.io/h2c</c> is HTTP2, <c>kubernetes.io/ws</c> HTTP (a WebSocket is an HTTP/1.1 upgrade),
/// <c>kubernetes.io/wss</c> HTTPS; anything else is read like a port name.</item>
/// <item>A name (or <c>appProtocol</c>) is <c>PROTOCOL</c> or <c>PROTOCOL-suffix</c>, case ignored: <c>grpc-web</c>
/// first (it has a dash of its own), then the part before the first dash against Istio's names (http, http2, https,
/// grpc, tcp, tls, mongo, mysql, redis, udp).</item>
/// <item>Otherwise TCP. istiod would sniff HTTP on such a port (automatic protocol selection); Mesh does not detect
/// protocols, so an unnamed or unrecognised port is plain TCP until its name or appProtocol says more.</item>
/// </list>
/// </remarks>
public static class PortProtocols
{
    public static string Of(V1ServicePort port) => Of(port.Name, port.AppProtocol, port.Protocol);

    public static string Of(string? name, string? appProtocol, string? transport)
    {
        if (string.Equals(transport, "UDP", StringComparison.OrdinalIgnoreCase)) return Protocols.Udp;
        if (appProtocol is { Length: > 0 })
        {
            switch (appProtocol.ToLowerInvariant())
            {
                case "kubernetes.io/h2c": return Protocols.Http2;
                case "kubernetes.io/ws": return Protocols.Http;
                case "kubernetes.io/wss": return Protocols.Https;
            }
            return FromName(appProtocol);
        }
        return FromName(name ?? "");
    }

    private static string FromName(string name) =>
        // HBONE is a protocol Mesh's config knows but no port name selects (as in istiod); UDP only by transport.
        Protocols.Declared(name) is { } known && known is not Protocols.Hbone and not Protocols.Udp ? known : Protocols.Tcp;
}

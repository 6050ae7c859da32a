using Mesh.Kubernetes.Registry;

namespace Mesh.Kubernetes.Tests.Registry;

public class PortProtocolsTests
{
    [Theory]
    // appProtocol decides when set, including Kubernetes' own names.
    [InlineData("web", "kubernetes.io/h2c", "TCP", "HTTP2")]
    [InlineData("web", "kubernetes.io/ws", "TCP", "HTTP")]
    [InlineData("web", "kubernetes.io/wss", "TCP", "HTTPS")]
    [InlineData("tcp-web", "http", "TCP", "HTTP")]
    [InlineData("http-web", "https", "TCP", "HTTPS")]
    [InlineData("web", "grpc", "TCP", "GRPC")]
    [InlineData("web", "GRPC-Web", "TCP", "GRPC-WEB")]
    [InlineData("web", "tls", "TCP", "TLS")]
    [InlineData("web", "tcp", "TCP", "TCP")]
    [InlineData("web", "mysql", "TCP", "MYSQL")]
    // istiod does not fall back to the name when appProtocol is set but unknown.
    [InlineData("http-web", "mycompany.com/custom", "TCP", "TCP")]
    // The name's prefix, or the whole name.
    [InlineData("http", null, "TCP", "HTTP")]
    [InlineData("http-web", null, "TCP", "HTTP")]
    [InlineData("HTTP2-api", null, "TCP", "HTTP2")]
    [InlineData("grpc-api", null, "TCP", "GRPC")]
    [InlineData("grpc-web", null, "TCP", "GRPC-WEB")]
    [InlineData("grpc-web-ui", null, "TCP", "GRPC-WEB")]
    [InlineData("tcp-db", null, "TCP", "TCP")]
    [InlineData("tls-passthrough", null, "TCP", "TLS")]
    [InlineData("https-admin", null, "TCP", "HTTPS")]
    [InlineData("mongo-primary", null, "TCP", "MONGO")]
    [InlineData("redis", null, "TCP", "REDIS")]
    // No detection: an unknown prefix, no name, or a name that only starts like a protocol is TCP.
    [InlineData("httpx", null, "TCP", "TCP")]
    [InlineData("web-http", null, "TCP", "TCP")]
    [InlineData("hbone", null, "TCP", "TCP")]
    [InlineData(null, null, "TCP", "TCP")]
    [InlineData(null, null, null, "TCP")]
    // UDP by transport, whatever the name says; never by name.
    [InlineData("http", null, "UDP", "UDP")]
    [InlineData("udp-dns", null, "TCP", "TCP")]
    public void Protocol_IsIstiodsExplicitSelection(string? name, string? appProtocol, string? transport, string expected) =>
        Assert.Equal(expected, PortProtocols.Of(name, appProtocol, transport));
}

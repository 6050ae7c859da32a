namespace Mesh.Xds.Resources;

/// <summary>The Envoy extension names Mesh's translator writes and its sidecar reads: one spelling for both sides.</summary>
public static class EnvoyFilters
{
    public const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";
    public const string Router = "envoy.filters.http.router";
    public const string Fault = "envoy.filters.http.fault";
    public const string Cors = "envoy.filters.http.cors";
    public const string JwtAuthn = "envoy.filters.http.jwt_authn";
    public const string Rbac = "envoy.filters.http.rbac";
    public const string TlsTransportSocket = "envoy.transport_sockets.tls";
    public const string RawBufferTransportSocket = "envoy.transport_sockets.raw_buffer";
    public const string TcpProxy = "envoy.filters.network.tcp_proxy";
    public const string TlsInspector = "envoy.filters.listener.tls_inspector";
}

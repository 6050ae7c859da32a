using Mesh.Sidecar.Config.Gateway;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>What a gateway decided for one connection, read by each request on it: the listener, the filter chain the
/// connection matched (its HTTP connection manager routes the requests), and whether it came over TLS.</summary>
public sealed record GatewayConnection(string Listener, FilterChainModel Chain, bool Tls, string? ServerName)
{
    public static GatewayConnection? Of(HttpContext context) => context.Features.Get<GatewayConnection>();
}

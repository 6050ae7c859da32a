using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security;

/// <summary>What an authorization decision knows about one request: who calls (mTLS peer principal, addresses),
/// where to (destination address, SNI), what (method, authority, path, headers) and what earlier filters concluded
/// (dynamic metadata such as <c>istio_authn</c>).</summary>
public sealed record RequestFacts
{
    private static readonly IReadOnlyDictionary<string, Struct> NoMetadata = new Dictionary<string, Struct>();

    /// <summary>The caller's identity from its mTLS client certificate (a SPIFFE URI), or null without mTLS.</summary>
    public string? PeerPrincipal { get; init; }

    /// <summary>The address of the connection's peer.</summary>
    public IPAddress? DirectRemoteIp { get; init; }

    /// <summary>The original client, as the listener's <see cref="ClientAddress"/> finds it: the peer, unless trusted
    /// proxies are configured, then the x-forwarded-for entry they appended.</summary>
    public IPAddress? RemoteIp { get; init; }

    public IPAddress? DestinationIp { get; init; }

    public int DestinationPort { get; init; }

    /// <summary>The TLS server name the client asked for, or null (no TLS, or no SNI).</summary>
    public string? RequestedServerName { get; init; }

    public string Method { get; init; } = "GET";

    /// <summary>The Host header (HTTP/1) or :authority (HTTP/2), as sent.</summary>
    public string Authority { get; init; } = "";

    public string Scheme { get; init; } = "http";

    /// <summary>The path with its query string, as Envoy's <c>:path</c>: percent-encoded, after the listener's path
    /// normalization (<see cref="Proxy.Paths.RequestTarget"/>).</summary>
    public string Path { get; init; } = "/";

    /// <summary>Dynamic metadata by filter name (for example <c>istio_authn</c>, <c>envoy.filters.http.jwt_authn</c>).</summary>
    public IReadOnlyDictionary<string, Struct> Metadata { get; init; } = NoMetadata;

    private readonly HttpRequest _request;

    /// <summary>Facts are read from a request (<see cref="From"/>): header conditions read it as routes do.</summary>
    private RequestFacts(HttpRequest request) => _request = request;

    /// <param name="destinationPort">The port the request is judged under (the listener's), when it is not the
    /// connection's local port.</param>
    public static RequestFacts From(HttpContext context, string? peerPrincipal, IReadOnlyDictionary<string, Struct> metadata, ClientAddress? client = null, int? destinationPort = null)
    {
        var connection = context.Connection;
        var request = context.Request;
        var direct = Normalize(connection.RemoteIpAddress);
        var sni = context.Features.Get<ITlsHandshakeFeature>()?.HostName;
        return new RequestFacts(request)
        {
            PeerPrincipal = peerPrincipal,
            DirectRemoteIp = direct,
            RemoteIp = Normalize((client ?? ClientAddress.Peer).Resolve(direct, request.Headers["x-forwarded-for"])),
            DestinationIp = Normalize(connection.LocalIpAddress),
            DestinationPort = destinationPort ?? connection.LocalPort,
            RequestedServerName = string.IsNullOrEmpty(sni) ? null : sni,
            Method = request.Method,
            Authority = request.Headers.Host.ToString(),
            Scheme = request.Scheme,
            Path = Matching.HeaderMatch.PathOf(request),
            Metadata = metadata,
        };
    }

    /// <summary>A request header as Envoy's matchers see it (<see cref="Matching.HeaderMatch.ValueOf"/>).</summary>
    public string? Header(string name) => Matching.HeaderMatch.ValueOf(_request, name);

    /// <summary>The path without query string or fragment, what <c>url_path</c> matchers see.</summary>
    public string PathWithoutQuery()
    {
        var end = Path.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? Path : Path[..end];
    }

    /// <summary>A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 addresses; CIDR ranges are written
    /// for the IPv4 form.</summary>
    private static IPAddress? Normalize(IPAddress? address)
        => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}

using System.Net;
using System.Security.Authentication;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>One HTTPS request from the shop frontend, through a proxy, for <c>/v1/items?page=2</c>: the request every
/// RBAC matcher test asks about.</summary>
internal static class TestRequests
{
    public const string Peer = "spiffe://cluster.local/ns/shop/sa/frontend";

    public static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = "GET";
        request.Scheme = "https";
        request.Host = new HostString("api.example.com");
        request.Path = "/v1/items";
        request.QueryString = new QueryString("?page=2");
        request.Headers["x-user"] = "alice";
        request.Headers["x-number"] = "42";
        request.Headers["x-multi"] = new[] { "a", "b" };
        request.Headers["x-forwarded-for"] = "203.0.113.7, 10.1.2.3";
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Connection.RemotePort = 50000;
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.5");
        context.Connection.LocalPort = 8080;
        context.Features.Set<ITlsHandshakeFeature>(new Tls("api.example.com"));
        return context;
    }

    /// <summary>What earlier filters left: jwt_authn's payload and Istio's authn keys for alice's token.</summary>
    public static Dictionary<string, Struct> Metadata() => new()
    {
        ["istio_authn"] = Struct.Parser.ParseJson("""
            {
              "request.auth.principal": "https://issuer.example.com/alice",
              "request.auth.audiences": "shop",
              "request.auth.claims": {"groups": ["admin", "dev"], "scope": ["read"], "org": {"team": ["payments"]}}
            }
            """),
        ["envoy.filters.http.jwt_authn"] = Struct.Parser.ParseJson("""
            {"https://issuer.example.com": {"exp": 1900000000, "email_verified": true, "nothing": null}}
            """),
    };

    /// <summary>The listener trusts two proxies' x-forwarded-for entries, so the client is 203.0.113.7.</summary>
    public static ClientAddress TwoTrustedProxies { get; } = new(true, 2);

    public static RequestFacts Facts(Action<DefaultHttpContext>? change = null, string? peer = Peer)
    {
        var context = Context();
        change?.Invoke(context);
        return RequestFacts.From(context, peer, Metadata(), TwoTrustedProxies);
    }

    private sealed class Tls(string hostName) : ITlsHandshakeFeature
    {
        public string HostName => hostName;

        public SslProtocols Protocol => SslProtocols.Tls13;

        public System.Net.Security.TlsCipherSuite? NegotiatedCipherSuite => null;

#pragma warning disable SYSLIB0058 // The obsolete algorithm properties are part of the interface.
        public CipherAlgorithmType CipherAlgorithm => CipherAlgorithmType.None;

        public int CipherStrength => 0;

        public HashAlgorithmType HashAlgorithm => HashAlgorithmType.None;

        public int HashStrength => 0;

        public ExchangeAlgorithmType KeyExchangeAlgorithm => ExchangeAlgorithmType.None;

        public int KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058
    }
}

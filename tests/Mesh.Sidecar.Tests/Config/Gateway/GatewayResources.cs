using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;
using TcpProxy = Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy;

namespace Mesh.Sidecar.Tests.Config.Gateway;

/// <summary>A gateway's resources as the control plane sends them (Envoy's JSON, Istio's gateway shape), and
/// certificates made for the test.</summary>
internal static class GatewayResources
{
    public const string Name = "gateway|istio-system|ingress|8443";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(
        HttpConnectionManager.Descriptor, TcpProxy.Descriptor, DownstreamTlsContext.Descriptor, Envoy.Extensions.Filters.Http.Rbac.V3.RBAC.Descriptor)));

    public static T Parse<T>(string json) where T : IMessage, new() => Parser.Parse<T>(json);

    /// <summary>An HTTP connection manager network filter taking its routes from RDS <paramref name="routes"/>.</summary>
    public static string Http(string routes = Name) => $$$"""
        {"name": "envoy.filters.network.http_connection_manager", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          "stat_prefix": "gw", "rds": {"route_config_name": "{{{routes}}}"}, "http_filters": [{"name": "envoy.filters.http.router"}]}}
        """;

    /// <summary>A tcp_proxy network filter to <paramref name="cluster"/>.</summary>
    public static string Tcp(string cluster) => $$$"""
        {"name": "envoy.filters.network.tcp_proxy", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "gw", "cluster": "{{{cluster}}}"}}
        """;

    /// <summary>A TLS transport socket with the certificate of SDS <paramref name="secret"/>; <paramref name="extra"/>
    /// adds fields to its common_tls_context, <paramref name="context"/> to the DownstreamTlsContext.</summary>
    public static string Tls(string secret, string extra = "", string context = "") => $$$"""
        {"name": "envoy.transport_sockets.tls", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"{{{context}}},
          "common_tls_context": {"tls_certificate_sds_secret_configs": [{"name": "{{{secret}}}", "sds_config": {"ads": {} } }],
            "alpn_protocols": ["h2", "http/1.1"]{{{extra}}} } } }
        """;

    public static Listener Listener(string chains, bool inspector = true, string extra = "") => Parse<Listener>($$$"""
        {"name": "{{{Name}}}", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 8443}},
         "listener_filters": [{{{(inspector ? """{"name": "envoy.filters.listener.tls_inspector"}""" : "")}}}],
         "filter_chains": [{{{chains}}}]{{{extra}}} }
        """);

    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(params IMessage[] messages)
    {
        var resources = ResourceSet.Empty;
        foreach (var message in messages)
        {
            var (type, name) = message switch
            {
                Listener l => (TypeUrls.Listener, l.Name),
                Secret s => (TypeUrls.Secret, s.Name),
                _ => throw new ArgumentException(message.GetType().Name),
            };
            resources = resources.With(type, [new ReceivedResource(name, "1", message)], [], "1");
        }
        return ModelCompiler.Compile(resources);
    }

    /// <summary>A certificate for <paramref name="dnsName"/>, signed by <paramref name="issuer"/> (self-signed without one).</summary>
    public static X509Certificate2 Certificate(string dnsName, X509Certificate2? issuer = null, bool ca = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        if (ca) request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        if (issuer is null) return request.CreateSelfSigned(notBefore, notBefore.AddDays(1));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = request.Create(issuer, notBefore, notBefore.AddDays(1), serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>SDS <c>tls_certificate</c> with <paramref name="certificate"/>'s PEM chain and key.</summary>
    public static Secret CertificateSecret(string name, X509Certificate2 certificate) => new()
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineBytes = ByteString.CopyFromUtf8(certificate.ExportCertificatePem()) },
            PrivateKey = new DataSource { InlineBytes = ByteString.CopyFromUtf8(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()) },
        },
    };

    /// <summary>SDS <c>validation_context</c> trusting <paramref name="root"/>.</summary>
    public static Secret CaSecret(string name, X509Certificate2 root) => new()
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineBytes = ByteString.CopyFromUtf8(root.ExportCertificatePem()) } },
    };
}

using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.Gateways;
using Mesh.Xds.Resources;
using TlsProtocol = Envoy.Extensions.TransportSockets.Tls.V3.TlsParameters.Types.TlsProtocol;

namespace Mesh.Xds.Translation.Gateways;

/// <summary>A terminating server's TLS (SIMPLE, MUTUAL, OPTIONAL_MUTUAL) → the DownstreamTlsContext of its filter
/// chain. Certificates come over SDS by credentialName, resolved in the gateway workload's namespace as Istio does,
/// except a Gateway API certificate of another namespace, which keeps its own name (<see cref="SecretNames.OfServerCredential"/>).</summary>
internal static class GatewayTlsTranslator
{
    /// <summary>Istio's spelling of a TLS version → Envoy's.</summary>
    public static IReadOnlyDictionary<string, TlsProtocol> Versions { get; } = new Dictionary<string, TlsProtocol>(StringComparer.Ordinal)
    {
        ["TLS_AUTO"] = TlsProtocol.TlsAuto,
        ["TLSV1_0"] = TlsProtocol.Tlsv10,
        ["TLSV1_1"] = TlsProtocol.Tlsv11,
        ["TLSV1_2"] = TlsProtocol.Tlsv12,
        ["TLSV1_3"] = TlsProtocol.Tlsv13,
    };

    public static TransportSocket Socket(ServerTlsSettings tls, string workloadNamespace) => new()
    {
        Name = EnvoyFilters.TlsTransportSocket,
        TypedConfig = Any.Pack(Context(tls, workloadNamespace)),
    };

    public static DownstreamTlsContext Context(ServerTlsSettings tls, string workloadNamespace)
    {
        var common = new CommonTlsContext { AlpnProtocols = { "h2", "http/1.1" } };
        foreach (var credential in tls.Credentials)
        {
            common.TlsCertificateSdsSecretConfigs.Add(new SdsSecretConfig { Name = SecretNames.OfServerCredential(workloadNamespace, credential), SdsConfig = ProtoValues.Ads() });
        }
        if (tls.Mode is "MUTUAL" or "OPTIONAL_MUTUAL" && tls.Credentials.Count > 0)
        {
            common.ValidationContextSdsSecretConfig = new SdsSecretConfig
            {
                Name = SecretNames.OfServerCredential(workloadNamespace, tls.Credentials[0], ca: true),
                SdsConfig = ProtoValues.Ads(),
            };
        }
        if (Parameters(tls) is { } parameters) common.TlsParams = parameters;
        return new DownstreamTlsContext
        {
            CommonTlsContext = common,
            // OPTIONAL_MUTUAL: a client certificate is verified when one is sent, and none is required.
            RequireClientCertificate = tls.Mode == "MUTUAL",
        };
    }

    private static TlsParameters? Parameters(ServerTlsSettings tls)
    {
        if (tls.MinProtocolVersion is null && tls.MaxProtocolVersion is null && tls.CipherSuites.Count == 0) return null;
        var parameters = new TlsParameters { CipherSuites = { tls.CipherSuites } };
        if (tls.MinProtocolVersion is { } min) parameters.TlsMinimumProtocolVersion = Versions[min];
        if (tls.MaxProtocolVersion is { } max) parameters.TlsMaximumProtocolVersion = Versions[max];
        return parameters;
    }
}

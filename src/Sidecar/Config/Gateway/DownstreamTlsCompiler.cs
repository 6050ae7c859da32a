using System.Net.Security;
using System.Security.Authentication;
using Envoy.Extensions.TransportSockets.Tls.V3;
using TlsProtocol = Envoy.Extensions.TransportSockets.Tls.V3.TlsParameters.Types.TlsProtocol;

namespace Mesh.Sidecar.Config.Gateway;

/// <summary>Compiles a filter chain's DownstreamTlsContext: the certificate and client roots by SDS name, whether a
/// client certificate is required, TLS versions, cipher suites and ALPN, mapped to what .NET's SslStream does on
/// Linux. What it cannot do is refused with its field path.</summary>
internal static class DownstreamTlsCompiler
{
    /// <summary>Envoy's (BoringSSL's) TLS 1.2 suite names, as Istio's <c>cipherSuites</c> take them.</summary>
    private static readonly Dictionary<string, TlsCipherSuite> Suites = new(StringComparer.Ordinal)
    {
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-ECDSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-RSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-ECDSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ["ECDHE-RSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ["AES128-GCM-SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ["AES256-GCM-SHA384"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ["AES128-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        ["AES256-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    };

    public static DownstreamTls? Compile(DownstreamTlsContext context, string where, List<string> errors)
    {
        var before = errors.Count;
        if (context.RequireSni == true) errors.Add($"{where}.require_sni: not supported by mesh-sidecar (match server_names, and add a chain without them to refuse the rest)");
        if (context.SessionTicketKeysTypeCase is DownstreamTlsContext.SessionTicketKeysTypeOneofCase.SessionTicketKeys or DownstreamTlsContext.SessionTicketKeysTypeOneofCase.SessionTicketKeysSdsSecretConfig)
        {
            errors.Add($"{where}.session_ticket_keys: not supported by mesh-sidecar");
        }
        var common = context.CommonTlsContext ?? new CommonTlsContext();
        var path = $"{where}.common_tls_context";
        if (common.TlsCertificates.Count > 0) errors.Add($"{path}.tls_certificates: inline certificates are not supported by mesh-sidecar; name an SDS secret in tls_certificate_sds_secret_configs");
        if (common.TlsCertificateSdsSecretConfigs.Count != 1) errors.Add($"{path}.tls_certificate_sds_secret_configs: exactly one secret is supported by mesh-sidecar (has {common.TlsCertificateSdsSecretConfigs.Count})");
        var certificate = common.TlsCertificateSdsSecretConfigs.FirstOrDefault()?.Name ?? "";
        if (common.TlsCertificateSdsSecretConfigs.Count == 1 && certificate.Length == 0) errors.Add($"{path}.tls_certificate_sds_secret_configs[0].name: required");
        var trust = TrustSecret(common, path, errors);
        var require = context.RequireClientCertificate == true;
        if (require && trust is null) errors.Add($"{where}.require_client_certificate: needs a validation context to verify client certificates against");
        var protocols = Protocols(common.TlsParams, $"{path}.tls_params", errors);
        var suites = CipherSuites(common.TlsParams, $"{path}.tls_params", errors);
        if (common.TlsParams is { } parameters)
        {
            if (parameters.EcdhCurves.Count > 0) errors.Add($"{path}.tls_params.ecdh_curves: not supported by mesh-sidecar");
            if (parameters.SignatureAlgorithms.Count > 0) errors.Add($"{path}.tls_params.signature_algorithms: not supported by mesh-sidecar");
        }
        var alpn = new List<SslApplicationProtocol>();
        for (var i = 0; i < common.AlpnProtocols.Count; i++)
        {
            switch (common.AlpnProtocols[i])
            {
                case "h2":
                    alpn.Add(SslApplicationProtocol.Http2);
                    break;
                case "http/1.1":
                    alpn.Add(SslApplicationProtocol.Http11);
                    break;
                case var other:
                    errors.Add($"{path}.alpn_protocols[{i}]: \"{other}\" is not supported by mesh-sidecar (h2, http/1.1)");
                    break;
            }
        }
        // No ALPN configured: HTTP/1.1, as Envoy negotiates none and the client falls back to it.
        return errors.Count > before ? null : new DownstreamTls(certificate, trust, require, protocols, suites, alpn.Count > 0 ? alpn : [SslApplicationProtocol.Http11]);
    }

    /// <summary>The SDS secret with the client-certificate roots: named directly, or in a combined validation context
    /// whose inline default adds nothing.</summary>
    private static string? TrustSecret(CommonTlsContext common, string path, List<string> errors)
    {
        switch (common.ValidationContextTypeCase)
        {
            case CommonTlsContext.ValidationContextTypeOneofCase.None:
                return null;
            case CommonTlsContext.ValidationContextTypeOneofCase.ValidationContextSdsSecretConfig:
                return Named(common.ValidationContextSdsSecretConfig, $"{path}.validation_context_sds_secret_config", errors);
            case CommonTlsContext.ValidationContextTypeOneofCase.CombinedValidationContext:
                var combined = common.CombinedValidationContext;
                if (combined.DefaultValidationContext is { } inline && !inline.Equals(new CertificateValidationContext()))
                {
                    errors.Add($"{path}.combined_validation_context.default_validation_context: not supported by mesh-sidecar (client certificates are verified against the SDS roots only)");
                }
                return Named(combined.ValidationContextSdsSecretConfig, $"{path}.combined_validation_context.validation_context_sds_secret_config", errors);
            default:
                return errors.Fail<string>($"{path}: {common.ValidationContextTypeCase} is not supported by mesh-sidecar; name an SDS secret in validation_context_sds_secret_config");
        }
    }

    private static string? Named(SdsSecretConfig? config, string where, List<string> errors)
        => config?.Name is { Length: > 0 } name ? name : errors.Fail<string>($"{where}.name: required");

    /// <summary>TLS 1.2 and 1.3 (what .NET's TLS offers on Linux); TLS_AUTO is 1.2 at least, 1.3 at most, as Envoy's
    /// server side.</summary>
    private static SslProtocols Protocols(TlsParameters? parameters, string where, List<string> errors)
    {
        var minimum = parameters?.TlsMinimumProtocolVersion ?? TlsProtocol.TlsAuto;
        var maximum = parameters?.TlsMaximumProtocolVersion ?? TlsProtocol.TlsAuto;
        var low = Version(minimum, TlsProtocol.Tlsv12, $"{where}.tls_minimum_protocol_version", errors);
        var high = Version(maximum, TlsProtocol.Tlsv13, $"{where}.tls_maximum_protocol_version", errors);
        if (low > high)
        {
            errors.Add($"{where}: tls_minimum_protocol_version {minimum} is above tls_maximum_protocol_version {maximum}");
            return SslProtocols.None;
        }
        return (low <= TlsProtocol.Tlsv12 && high >= TlsProtocol.Tlsv12 ? SslProtocols.Tls12 : SslProtocols.None)
            | (high >= TlsProtocol.Tlsv13 ? SslProtocols.Tls13 : SslProtocols.None);
    }

    private static TlsProtocol Version(TlsProtocol version, TlsProtocol auto, string where, List<string> errors)
    {
        if (version == TlsProtocol.TlsAuto) return auto;
        if (version is TlsProtocol.Tlsv12 or TlsProtocol.Tlsv13) return version;
        errors.Add($"{where}: {version} is not supported by mesh-sidecar (TLSv1_2 and TLSv1_3 only)");
        return auto;
    }

    /// <summary>The suites by Envoy's names; <c>[A|B]</c> (an equal-preference group) counts as A then B.</summary>
    private static IReadOnlyList<TlsCipherSuite>? CipherSuites(TlsParameters? parameters, string where, List<string> errors)
    {
        if (parameters is null || parameters.CipherSuites.Count == 0) return null;
        var suites = new List<TlsCipherSuite>();
        for (var i = 0; i < parameters.CipherSuites.Count; i++)
        {
            foreach (var name in parameters.CipherSuites[i].Trim('[', ']').Split('|', StringSplitOptions.TrimEntries))
            {
                if (Suites.TryGetValue(name, out var suite)) suites.Add(suite);
                else errors.Add($"{where}.cipher_suites[{i}]: \"{name}\" is not a cipher suite mesh-sidecar supports ({string.Join(", ", Suites.Keys)})");
            }
        }
        return suites;
    }
}

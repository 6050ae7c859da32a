using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io Gateway: the ports, hosts and TLS a load balancer at the mesh's edge serves.</summary>
internal static class GatewaySchema
{
    public static ObjectSchema Port { get; } = Obj(
            ("number", Common.Port), ("protocol", Common.Protocol), ("name", Str), ("targetPort", Common.Port))
        .Require("number", "protocol", "name");

    private static readonly EnumSchema TlsVersion = Enum("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3");

    /// <summary>The protocols a gateway server is served with: HTTP ones terminated into routes, TLS passed through by SNI.</summary>
    private static readonly string[] ServedProtocols = ["HTTP", "HTTPS", "HTTP2", "GRPC", "TLS"];

    /// <summary>Fields of Istio's ServerTLSSettings that Mesh does not serve (certificates come over SDS by credentialName).</summary>
    private static readonly (string Field, string Reason)[] Unserved =
    [
        ("serverCertificate", "certificate files are not supported: use credentialName (meshctl secret create tls)"),
        ("privateKey", "certificate files are not supported: use credentialName (meshctl secret create tls)"),
        ("caCertificates", "certificate files are not supported: use credentialName (its ca.crt, or a NAME-cacert secret)"),
        ("tlsCertificates", "certificate files are not supported: use credentialName or credentialNames"),
        ("caCrl", "not supported yet"),
        ("subjectAltNames", "not supported yet"),
        ("verifyCertificateSpki", "not supported yet"),
        ("verifyCertificateHash", "not supported yet"),
    ];

    /// <summary>A Sidecar's ingress TLS: Istio's ServerTLSSettings with certificate files (the sidecar reads them).</summary>
    public static ObjectSchema ServerTls { get; } = TlsSettings().Rule(CheckCertificateFiles);

    /// <summary>A gateway server's TLS: what the gateway serves (certificates over SDS by credentialName).</summary>
    private static readonly ObjectSchema GatewayTls = TlsSettings().Rule(CheckServerTls);

    private static ObjectSchema TlsSettings() => Obj(
            ("httpsRedirect", Bool),
            ("mode", Enum("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")),
            ("serverCertificate", Str),
            ("privateKey", Str),
            ("caCertificates", Str),
            ("caCrl", Str),
            ("credentialName", Matching(Names.Subdomain)),
            ("credentialNames", List(Matching(Names.Subdomain)).NonEmpty()),
            ("tlsCertificates", List(Obj(("serverCertificate", Str), ("privateKey", Str), ("caCertificates", Str)))),
            ("subjectAltNames", List(Str)),
            ("verifyCertificateSpki", List(Str)),
            ("verifyCertificateHash", List(Str)),
            ("minProtocolVersion", TlsVersion),
            ("maxProtocolVersion", TlsVersion),
            ("cipherSuites", List(Matching(CipherSuite)).NonEmpty()))
        .AtMostOne("credentialName", "credentialNames");

    private static readonly ObjectSchema Server = Obj(
            ("port", Port),
            ("bind", Str),
            ("hosts", List(Matching(h => Hosts.NamespacedHost(h, requireNamespace: false))).NonEmpty("a server needs at least one host")),
            ("tls", GatewayTls),
            ("defaultEndpoint", Str),
            ("name", Str))
        .Require("port", "hosts")
        .Rule(CheckServer);

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.Labels),
            ("servers", List(Server).NonEmpty("a gateway needs at least one server")))
        .Require("servers");

    private static void CheckCertificateFiles(JsonObject tls, string path, Problems problems)
    {
        var mode = FieldPath.IsString(tls["mode"], out var m) ? m : "";
        var hasCredential = tls["credentialName"] is not null || tls["credentialNames"] is not null || tls["tlsCertificates"] is not null;
        if (mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL" && !hasCredential)
        {
            if (tls["serverCertificate"] is null) problems.Error(FieldPath.Field(path, "serverCertificate"), $"required when mode is {mode} (or set credentialName)");
            if (tls["privateKey"] is null) problems.Error(FieldPath.Field(path, "privateKey"), $"required when mode is {mode} (or set credentialName)");
            if (mode != "SIMPLE" && tls["caCertificates"] is null)
            {
                problems.Error(FieldPath.Field(path, "caCertificates"), $"required when mode is {mode} (or set credentialName)");
            }
        }
    }

    private static void CheckServerTls(JsonObject tls, string path, Problems problems)
    {
        var mode = FieldPath.IsString(tls["mode"], out var m) ? m : "";
        foreach (var (field, reason) in Unserved)
        {
            if (tls[field] is not null) problems.Error(FieldPath.Field(path, field), reason);
        }
        if (mode is "ISTIO_MUTUAL" or "AUTO_PASSTHROUGH")
        {
            problems.Error(FieldPath.Field(path, "mode"), $"{mode} is not supported yet (SIMPLE, MUTUAL, OPTIONAL_MUTUAL and PASSTHROUGH are)");
        }
        if (mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL" && tls["credentialName"] is null && tls["credentialNames"] is null)
        {
            problems.Error(FieldPath.Field(path, "credentialName"), $"required when mode is {mode}: the name of a TLS secret (meshctl secret create tls)");
        }
        if (mode is "PASSTHROUGH" && (tls["credentialName"] is not null || tls["credentialNames"] is not null))
        {
            problems.Error(path, "a PASSTHROUGH server does not terminate TLS: it takes no credentialName");
        }
        if (Version(tls, "minProtocolVersion") is { } min && Version(tls, "maxProtocolVersion") is { } max && min > max)
        {
            problems.Error(FieldPath.Field(path, "maxProtocolVersion"), "must not be lower than minProtocolVersion");
        }
    }

    /// <summary>The version's rank (TLS_AUTO ranks as unset), or null.</summary>
    private static int? Version(JsonObject tls, string field)
        => FieldPath.IsString(tls[field], out var v) && v != "TLS_AUTO" && Array.IndexOf(TlsVersionNames, v) is var i and >= 0 ? i : null;

    private static readonly string[] TlsVersionNames = ["TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"];

    /// <summary>An OpenSSL/BoringSSL cipher suite name as Envoy takes it (<c>ECDHE-RSA-AES128-GCM-SHA256</c>, or an
    /// equal-preference group <c>[A|B]</c>).</summary>
    private static string? CipherSuite(string name)
    {
        var inner = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        return inner.Length > 0 && inner.Split('|').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? null
            : $"\"{Names.Short(name)}\" is not a cipher suite name (e.g. ECDHE-ECDSA-AES128-GCM-SHA256)";
    }

    private static void CheckServer(JsonObject server, string path, Problems problems)
    {
        var protocol = FieldPath.IsString(FieldPath.Get(server, "port", "protocol"), out var p) ? p.ToUpperInvariant() : "";
        var tlsMode = FieldPath.IsString(FieldPath.Get(server, "tls", "mode"), out var m) ? m : "";
        var redirect = FieldPath.Get(server, "tls", "httpsRedirect") is JsonValue r && r.TryGetValue<bool>(out var b) && b;
        var tlsPath = FieldPath.Field(path, "tls");
        if (protocol.Length > 0 && !ServedProtocols.Contains(protocol))
        {
            problems.Error(FieldPath.Field(FieldPath.Field(path, "port"), "protocol"), $"{protocol} servers are not supported yet (use {string.Join(", ", ServedProtocols)})");
        }
        if (protocol is "HTTPS" or "TLS" && server["tls"] is null)
        {
            problems.Error(tlsPath, $"required for a {protocol} server");
        }
        if (protocol is "HTTPS" && server["tls"] is not null && tlsMode is "" && !redirect)
        {
            problems.Error(FieldPath.Field(tlsPath, "mode"), "required for an HTTPS server");
        }
        if (protocol is "TLS" && server["tls"] is not null && tlsMode is not ("PASSTHROUGH" or "ISTIO_MUTUAL" or "AUTO_PASSTHROUGH"))
        {
            problems.Error(FieldPath.Field(tlsPath, "mode"), "a TLS server is served as PASSTHROUGH (routed by SNI by VirtualService tls routes); terminating TLS into TCP routes is not supported yet");
        }
        if (protocol is "HTTP" or "HTTP2" or "GRPC" && tlsMode.Length > 0)
        {
            problems.Error(FieldPath.Field(tlsPath, "mode"), $"a {protocol} server is plaintext: its tls takes only httpsRedirect (use protocol HTTPS)");
        }
        if (server["bind"] is not null) problems.Error(FieldPath.Field(path, "bind"), "not supported yet: the gateway listens on all addresses");
        if (server["defaultEndpoint"] is not null) problems.Error(FieldPath.Field(path, "defaultEndpoint"), "not supported yet");
    }
}

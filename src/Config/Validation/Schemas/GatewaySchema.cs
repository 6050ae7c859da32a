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

    public static ObjectSchema ServerTls { get; } = Obj(
            ("httpsRedirect", Bool),
            ("mode", Enum("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")),
            ("serverCertificate", Str),
            ("privateKey", Str),
            ("caCertificates", Str),
            ("caCrl", Str),
            ("credentialName", Str),
            ("credentialNames", List(Str)),
            ("tlsCertificates", List(Obj(("serverCertificate", Str), ("privateKey", Str), ("caCertificates", Str)))),
            ("subjectAltNames", List(Str)),
            ("verifyCertificateSpki", List(Str)),
            ("verifyCertificateHash", List(Str)),
            ("minProtocolVersion", TlsVersion),
            ("maxProtocolVersion", TlsVersion),
            ("cipherSuites", List(Str)))
        .AtMostOne("credentialName", "credentialNames")
        .Rule(CheckServerTls);

    private static readonly ObjectSchema Server = Obj(
            ("port", Port),
            ("bind", Str),
            ("hosts", List(Matching(h => Hosts.NamespacedHost(h, requireNamespace: false))).NonEmpty("a server needs at least one host")),
            ("tls", ServerTls),
            ("defaultEndpoint", Str),
            ("name", Str))
        .Require("port", "hosts")
        .Rule(CheckServer);

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.Labels),
            ("servers", List(Server).NonEmpty("a gateway needs at least one server")))
        .Require("servers");

    private static void CheckServerTls(JsonObject tls, string path, Problems problems)
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

    private static void CheckServer(JsonObject server, string path, Problems problems)
    {
        var protocol = FieldPath.IsString(FieldPath.Get(server, "port", "protocol"), out var p) ? p.ToUpperInvariant() : "";
        var tlsMode = FieldPath.IsString(FieldPath.Get(server, "tls", "mode"), out var m) ? m : "";
        var redirect = FieldPath.Get(server, "tls", "httpsRedirect") is JsonValue r && r.TryGetValue<bool>(out var b) && b;
        if (protocol is "HTTPS" or "TLS" && server["tls"] is null)
        {
            problems.Error(FieldPath.Field(path, "tls"), $"required for a {protocol} server");
        }
        if (protocol is "HTTPS" && server["tls"] is not null && tlsMode is "" && !redirect)
        {
            problems.Error(FieldPath.Field(FieldPath.Field(path, "tls"), "mode"), "required for an HTTPS server");
        }
    }
}

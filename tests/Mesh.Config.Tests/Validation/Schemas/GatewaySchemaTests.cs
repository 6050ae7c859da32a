namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>What a Gateway may say: what Mesh's gateway serves is accepted, the rest refused with its field path.</summary>
public class GatewaySchemaTests
{
    private const string Kind = "Gateway";

    private static string Server(string port, string tls = "", string hosts = "[\"a.example.com\"]") =>
        $$"""{"servers": [{"port": {{port}}, "hosts": {{hosts}}{{(tls.Length > 0 ? ", \"tls\": " + tls : "")}}}]}""";

    private const string Https = """{"number": 443, "name": "https", "protocol": "HTTPS"}""";
    private const string Http = """{"number": 80, "name": "http", "protocol": "HTTP"}""";
    private const string Tls = """{"number": 443, "name": "tls", "protocol": "TLS"}""";

    public static TheoryData<string> Served => new()
    {
        Server(Http),
        Server("""{"number": 80, "name": "h2", "protocol": "HTTP2"}"""),
        Server("""{"number": 80, "name": "grpc", "protocol": "GRPC"}"""),
        Server(Http, """{"httpsRedirect": true}"""),
        Server(Https, """{"mode": "SIMPLE", "credentialName": "cert"}"""),
        Server(Https, """{"mode": "MUTUAL", "credentialName": "cert"}"""),
        Server(Https, """{"mode": "OPTIONAL_MUTUAL", "credentialNames": ["rsa", "ecdsa"]}"""),
        Server(Https, """{"mode": "SIMPLE", "credentialName": "cert", "minProtocolVersion": "TLSV1_2", "maxProtocolVersion": "TLSV1_3", "cipherSuites": ["ECDHE-ECDSA-AES128-GCM-SHA256", "[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]"]}"""),
        Server(Https, """{"mode": "PASSTHROUGH"}"""),
        Server(Tls, """{"mode": "PASSTHROUGH"}""", """["./*.example.com", "prod/b.example.com", "*/c.example.com", "*"]"""),
    };

    [Theory]
    [MemberData(nameof(Served))]
    public void Accepts_WhatTheGatewayServes(string spec) => Specs.AssertValid(Kind, spec);

    [Theory]
    [InlineData("""{"number": 27017, "name": "mongo", "protocol": "MONGO"}""", "", "spec.servers[0].port.protocol", "MONGO servers are not supported yet")]
    [InlineData("""{"number": 9000, "name": "tcp", "protocol": "TCP"}""", "", "spec.servers[0].port.protocol", "TCP servers are not supported yet")]
    [InlineData(Https, """{"mode": "ISTIO_MUTUAL"}""", "spec.servers[0].tls.mode", "ISTIO_MUTUAL is not supported yet")]
    [InlineData(Tls, """{"mode": "AUTO_PASSTHROUGH"}""", "spec.servers[0].tls.mode", "AUTO_PASSTHROUGH is not supported yet")]
    [InlineData(Https, """{"mode": "SIMPLE"}""", "spec.servers[0].tls.credentialName", "required when mode is SIMPLE")]
    [InlineData(Https, """{"mode": "MUTUAL"}""", "spec.servers[0].tls.credentialName", "required when mode is MUTUAL")]
    [InlineData(Https, """{"mode": "SIMPLE", "serverCertificate": "/etc/cert.pem", "privateKey": "/etc/key.pem"}""", "spec.servers[0].tls.serverCertificate", "use credentialName")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "c", "privateKey": "/etc/key.pem"}""", "spec.servers[0].tls.privateKey", "use credentialName")]
    [InlineData(Https, """{"mode": "MUTUAL", "credentialName": "c", "caCertificates": "/etc/ca.pem"}""", "spec.servers[0].tls.caCertificates", "use credentialName")]
    [InlineData(Https, """{"mode": "MUTUAL", "credentialName": "c", "subjectAltNames": ["a"]}""", "spec.servers[0].tls.subjectAltNames", "not supported yet")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "c", "minProtocolVersion": "TLSV1_4"}""", "spec.servers[0].tls.minProtocolVersion", "is not one of")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "c", "minProtocolVersion": "TLSV1_3", "maxProtocolVersion": "TLSV1_2"}""", "spec.servers[0].tls.maxProtocolVersion", "must not be lower")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "c", "cipherSuites": ["AES 128"]}""", "spec.servers[0].tls.cipherSuites[0]", "is not a cipher suite name")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "Bad_Name"}""", "spec.servers[0].tls.credentialName", "")]
    // The Gateway API's name for a Secret of another namespace: SDS gives it only to gateways whose Gateway API Gateway a
    // ReferenceGrant allows, so an Istio Gateway may not write it (it would read any namespace's certificates).
    [InlineData(Https, """{"mode": "SIMPLE", "credentialName": "kubernetes-gateway://certs/cert"}""", "spec.servers[0].tls.credentialName", "")]
    [InlineData(Https, """{"mode": "SIMPLE", "credentialNames": ["kubernetes-gateway://certs/cert"]}""", "spec.servers[0].tls.credentialNames[0]", "")]
    [InlineData(Https, """{"mode": "PASSTHROUGH", "credentialName": "c"}""", "spec.servers[0].tls", "takes no credentialName")]
    [InlineData(Tls, """{"mode": "SIMPLE", "credentialName": "c"}""", "spec.servers[0].tls.mode", "served as PASSTHROUGH")]
    [InlineData(Http, """{"mode": "SIMPLE", "credentialName": "c"}""", "spec.servers[0].tls.mode", "use protocol HTTPS")]
    public void Refuses_WhatItDoesNotServe(string port, string tls, string path, string reason) =>
        Specs.AssertRefused(Kind, Server(port, tls), path, reason);

    [Fact]
    public void Refuses_BindAndDefaultEndpoint()
    {
        const string spec = """{"servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"], "bind": "10.0.0.1", "defaultEndpoint": "127.0.0.1:8080"}]}""";
        Specs.AssertRefused(Kind, spec, "spec.servers[0].bind", "not supported yet");
        Specs.AssertRefused(Kind, spec, "spec.servers[0].defaultEndpoint", "not supported yet");
    }
}

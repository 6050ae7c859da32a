using Mesh.Config.Kinds;

namespace Mesh.Config.Tests.Validation.Schemas;

public class GatewayApiSchemaTests
{
    private const string Route = KindNames.HttpRoute;
    private const string Gateway = KindNames.GatewayApiGateway;

    private static string Rule(string rule) => $"{{\"parentRefs\":[{{\"name\":\"gw\"}}],\"rules\":[{rule}]}}";

    private static string Listener(string listener) => $"{{\"gatewayClassName\":\"mesh\",\"listeners\":[{listener}]}}";

    [Theory]
    [InlineData("{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"foo\"}}]}", "spec.rules[0].matches[0].path.value", "absolute path")]
    [InlineData("{\"matches\":[{\"path\":{\"type\":\"Exact\",\"value\":\"/a//b\"}}]}", "spec.rules[0].matches[0].path.value", "'//'")]
    [InlineData("{\"matches\":[{\"path\":{\"type\":\"Exact\",\"value\":\"/a/..\"}}]}", "spec.rules[0].matches[0].path.value", "must not end")]
    [InlineData("{\"matches\":[{\"path\":{\"type\":\"Glob\",\"value\":\"/a\"}}]}", "spec.rules[0].matches[0].path.type", "not one of")]
    [InlineData("{\"matches\":[{\"method\":\"FETCH\"}]}", "spec.rules[0].matches[0].method", "not one of")]
    [InlineData("{\"matches\":[{\"headers\":[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"a\",\"value\":\"2\"}]}]}", "spec.rules[0].matches[0].headers[1]", "duplicate name")]
    [InlineData("{\"backendRefs\":[{\"name\":\"svc\"}]}", "spec.rules[0].backendRefs[0].port", "required for a Service")]
    [InlineData("{\"backendRefs\":[{\"name\":\"svc\",\"port\":80,\"weight\":1000001}]}", "spec.rules[0].backendRefs[0].weight", "out of range")]
    [InlineData("{\"filters\":[{\"type\":\"RequestHeaderModifier\"}]}", "spec.rules[0].filters[0].requestHeaderModifier", "required when type is RequestHeaderModifier")]
    [InlineData("{\"filters\":[{\"type\":\"RequestRedirect\",\"requestRedirect\":{},\"urlRewrite\":{}}]}", "spec.rules[0].filters[0].urlRewrite", "must not be set when type is RequestRedirect")]
    [InlineData("{\"filters\":[{\"type\":\"RequestRedirect\",\"requestRedirect\":{}},{\"type\":\"URLRewrite\",\"urlRewrite\":{}}]}", "spec.rules[0].filters", "cannot be used together")]
    [InlineData("{\"filters\":[{\"type\":\"RequestRedirect\",\"requestRedirect\":{}}],\"backendRefs\":[{\"name\":\"s\",\"port\":80}]}", "spec.rules[0].backendRefs", "must be empty")]
    [InlineData("{\"filters\":[{\"type\":\"URLRewrite\",\"urlRewrite\":{\"path\":{\"type\":\"ReplacePrefixMatch\",\"replacePrefixMatch\":\"/x\"}}}],\"matches\":[{\"path\":{\"type\":\"Exact\",\"value\":\"/a\"}}]}", "spec.rules[0].matches", "exactly one PathPrefix")]
    [InlineData("{\"filters\":[{\"type\":\"RequestRedirect\",\"requestRedirect\":{\"statusCode\":307}}]}", "spec.rules[0].filters[0].requestRedirect.statusCode", "out of range")]
    [InlineData("{\"filters\":[{\"type\":\"ExtensionRef\",\"extensionRef\":{}}]}", "spec.rules[0].filters[0].extensionRef", "not implemented")]
    [InlineData("{\"timeouts\":{\"request\":\"1s\",\"backendRequest\":\"2s\"}}", "spec.rules[0].timeouts.backendRequest", "longer than the request")]
    [InlineData("{\"timeouts\":{\"request\":\"1.5s\"}}", "spec.rules[0].timeouts.request", "not a Gateway API duration")]
    [InlineData("{\"retry\":{\"attempts\":2}}", "spec.rules[0].retry", "not implemented")]
    public void HttpRoute_Refused(string rule, string path, string reason) => Specs.AssertRefused(Route, Rule(rule), path, reason);

    [Fact]
    public void HttpRoute_LimitsAndParents()
    {
        var hosts = string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"h{i}.example.com\""));
        Specs.AssertRefused(Route, $"{{\"parentRefs\":[{{\"name\":\"gw\"}}],\"hostnames\":[{hosts}]}}", "spec.hostnames", "at most 16");
        Specs.AssertRefused(Route, "{\"parentRefs\":[{\"name\":\"gw\"}],\"hostnames\":[\"a.*.example.com\"]}", "spec.hostnames[0]", "not a hostname");
        Specs.AssertRefused(Route, "{\"parentRefs\":[{\"name\":\"gw\"}],\"hostnames\":[\"Foo.example.com\"]}", "spec.hostnames[0]", "not a hostname");
        Specs.AssertRefused(Route, "{\"parentRefs\":[{\"name\":\"gw\"},{\"name\":\"gw\"}]}", "spec.parentRefs[0]", "sectionName or port");
        var backends = string.Join(",", Enumerable.Range(0, 17).Select(i => $"{{\"name\":\"s{i}\",\"port\":80}}"));
        Specs.AssertRefused(Route, Rule($"{{\"backendRefs\":[{backends}]}}"), "spec.rules[0].backendRefs", "at most 16");
        Specs.AssertValid(Route, "{\"parentRefs\":[{\"name\":\"gw\",\"sectionName\":\"a\"},{\"name\":\"gw\",\"sectionName\":\"b\"}],\"hostnames\":[\"*.example.com\"]," +
            "\"rules\":[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/api\"},\"method\":\"GET\",\"queryParams\":[{\"name\":\"v\",\"value\":\"1\"}]}]," +
            "\"filters\":[{\"type\":\"URLRewrite\",\"urlRewrite\":{\"path\":{\"type\":\"ReplacePrefixMatch\",\"replacePrefixMatch\":\"/\"}}},{\"type\":\"CORS\",\"cors\":{\"allowOrigins\":[\"https://*.example.com\"]}}]," +
            "\"backendRefs\":[{\"name\":\"api\",\"port\":8080,\"weight\":90},{\"name\":\"api2\",\"port\":8080,\"weight\":10}],\"timeouts\":{\"request\":\"10s\",\"backendRequest\":\"2s\"}}]}");
    }

    [Theory]
    [InlineData("{\"name\":\"a\",\"port\":443,\"protocol\":\"HTTPS\"}", "spec.listeners[0].tls", "required for protocol HTTPS")]
    [InlineData("{\"name\":\"a\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"mode\":\"Terminate\"}}", "spec.listeners[0].tls.certificateRefs", "required when mode is Terminate")]
    [InlineData("{\"name\":\"a\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"mode\":\"Passthrough\"}}", "spec.listeners[0].tls.mode", "must be Terminate")]
    [InlineData("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\",\"tls\":{\"certificateRefs\":[{\"name\":\"c\"}]}}", "spec.listeners[0].tls", "must not be set for protocol HTTP")]
    [InlineData("{\"name\":\"a\",\"port\":80,\"protocol\":\"SCTP\"}", "spec.listeners[0].protocol", "not one of")]
    [InlineData("{\"name\":\"a\",\"port\":9000,\"protocol\":\"TCP\",\"hostname\":\"a.com\"}", "spec.listeners[0].hostname", "must not be set for protocol TCP")]
    [InlineData("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\",\"allowedRoutes\":{\"namespaces\":{\"from\":\"Selector\"}}}", "spec.listeners[0].allowedRoutes.namespaces.selector", "required when from is Selector")]
    [InlineData("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\",\"allowedRoutes\":{\"namespaces\":{\"from\":\"Some\"}}}", "spec.listeners[0].allowedRoutes.namespaces.from", "not one of")]
    public void Gateway_ListenerRefused(string listener, string path, string reason) => Specs.AssertRefused(Gateway, Listener(listener), path, reason);

    [Fact]
    public void Gateway_ListenersAreUnique_AndUnimplementedFieldsAreNamed()
    {
        Specs.AssertRefused(Gateway, Listener("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\"},{\"name\":\"a\",\"port\":81,\"protocol\":\"HTTP\"}"), "spec.listeners[1].name", "unique");
        Specs.AssertRefused(Gateway, Listener("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\"},{\"name\":\"b\",\"port\":80,\"protocol\":\"HTTP\"}"), "spec.listeners[1]", "port, protocol and hostname");
        Specs.AssertRefused(Gateway, "{\"gatewayClassName\":\"mesh\",\"listeners\":[{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\"}],\"addresses\":[{\"value\":\"1.2.3.4\"}]}", "spec.addresses", "does not assign");
        Specs.AssertValid(Gateway, Listener("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\",\"hostname\":\"*.example.com\"},{\"name\":\"b\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"certificateRefs\":[{\"name\":\"cert\"}]}}"));
    }

    [Fact]
    public void GrpcRoute_MethodMatch()
    {
        Specs.AssertRefused(KindNames.GrpcRoute, Rule("{\"matches\":[{\"method\":{\"type\":\"Exact\"}}]}"), "spec.rules[0].matches[0].method", "one or both");
        Specs.AssertRefused(KindNames.GrpcRoute, Rule("{\"matches\":[{\"method\":{\"service\":\"a/b\"}}]}"), "spec.rules[0].matches[0].method.service", "not a gRPC service");
        Specs.AssertValid(KindNames.GrpcRoute, Rule("{\"matches\":[{\"method\":{\"service\":\"grpc.health.v1.Health\",\"method\":\"Check\"}}],\"backendRefs\":[{\"name\":\"s\",\"port\":9000}]}"));
    }

    [Fact]
    public void ReferenceGrant_RequiresFromAndTo()
    {
        Specs.AssertRefused(KindNames.ReferenceGrant, "{\"from\":[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"HTTPRoute\"}],\"to\":[]}", "spec.from[0].namespace", "required");
        Specs.AssertRefused(KindNames.ReferenceGrant, "{\"from\":[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"HTTPRoute\",\"namespace\":\"a\"}],\"to\":[]}", "spec.to", "at least one");
    }
}

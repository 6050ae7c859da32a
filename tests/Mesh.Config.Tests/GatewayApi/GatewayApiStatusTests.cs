using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using static Mesh.Config.Tests.GatewayApi.GatewayApiFixture;

namespace Mesh.Config.Tests.GatewayApi;

/// <summary>Status as the API defines it, one test per conformance test it stands for.</summary>
public class GatewayApiStatusTests
{
    private static string Reason(JsonObject condition) => condition["reason"]!.GetValue<string>();

    [Fact]
    public void GatewayClassObservedGenerationBump_ClassIsAccepted()
    {
        var result = Convert([]);
        var accepted = Condition(result.Status[Class.Key]["conditions"], "Accepted");
        Assert.Equal(("True", 1L), (accepted["status"]!.GetValue<string>(), accepted["observedGeneration"]!.GetValue<long>()));
    }

    [Fact]
    public void GatewayWithAttachedRoutes()
    {
        var route = HttpRoute("r", "{\"parentRefs\":[{\"name\":\"same-namespace\"}]}");
        var gateway = Convert([route]).Status[Gateway().Key];
        Assert.Equal(1, gateway["listeners"]![0]!["attachedRoutes"]!.GetValue<int>());
        Assert.Equal("Programmed", Reason(Condition(gateway["conditions"], "Programmed")));
    }

    [Fact]
    public void GatewayInvalidTLSConfiguration_MissingSecret()
    {
        var gateway = Gateway("{\"name\":\"https\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"certificateRefs\":[{\"name\":\"missing\"}]}}");
        var status = Convert([], gateway).Status[gateway.Key];
        Assert.Equal("InvalidCertificateRef", Reason(Condition(status["listeners"]![0]!["conditions"], "ResolvedRefs")));
        Assert.Equal("ListenersNotValid", Reason(Condition(status["conditions"], "Accepted")));
    }

    [Fact]
    public void GatewaySecretMissingReferenceGrant_AndHTTPSListenerWithSecret()
    {
        var crossNamespace = Gateway("{\"name\":\"https\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"certificateRefs\":[{\"name\":\"cert\",\"namespace\":\"certs\"}]}}");
        var status = Convert([], crossNamespace, secrets: new HashSet<string> { "certs/cert" }).Status[crossNamespace.Key];
        Assert.Equal("RefNotPermitted", Reason(Condition(status["listeners"]![0]!["conditions"], "ResolvedRefs")));

        var local = Gateway("{\"name\":\"https\",\"port\":443,\"protocol\":\"HTTPS\",\"hostname\":\"example.org\",\"tls\":{\"certificateRefs\":[{\"name\":\"cert\"}]}}");
        var server = Assert.Single(Convert([], local, secrets: new HashSet<string> { $"{Infra}/cert" }).Bindings[0].Gateway.Servers);
        Assert.Equal(("SIMPLE", "cert", "example.org"), (server.Tls!.Mode, server.Tls.CredentialName, server.Hosts[0]));
    }

    private const string CertsListener = "{\"name\":\"https\",\"port\":443,\"protocol\":\"HTTPS\",\"tls\":{\"certificateRefs\":[{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\",\"namespace\":\"certs\"}]}}";

    private static GatewayApiObject SecretGrant(string name, string from, string to, string ns = "certs")
        => Object("ReferenceGrant", ns, name, $"{{\"from\":[{from}],\"to\":[{to}]}}", apiVersion: "gateway.networking.k8s.io/v1beta1");

    private static readonly string FromInfra = $"{{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"namespace\":\"{Infra}\"}}";

    /// <summary>The listener's ResolvedRefs reason, and the credential its converted server uses (null: not served).</summary>
    private static (string Reason, string? Credential) CertsListenerWith(params GatewayApiObject[] grants)
    {
        var gateway = Gateway(CertsListener);
        var result = Convert([], gateway, grants, new HashSet<string> { "certs/certificate" });
        var resolved = Reason(Condition(result.Status[gateway.Key]["listeners"]![0]!["conditions"], "ResolvedRefs"));
        return (resolved, result.Bindings[0].Gateway.Servers.SingleOrDefault()?.Tls?.CredentialName);
    }

    [Fact]
    public void GatewaySecretReferenceGrantAllInNamespace()
    {
        // A grant with no name in "to" covers every Secret of its namespace; the server names it as Istio does.
        var all = SecretGrant("all", FromInfra, "{\"group\":\"\",\"kind\":\"Secret\"}");
        Assert.Equal(("ResolvedRefs", "kubernetes-gateway://certs/certificate"), CertsListenerWith(all));
    }

    [Fact]
    public void GatewaySecretReferenceGrantSpecific()
    {
        var specific = SecretGrant("specific", FromInfra, "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\"}");
        Assert.Equal(("ResolvedRefs", "kubernetes-gateway://certs/certificate"), CertsListenerWith(specific));
    }

    [Fact]
    public void GatewaySecretInvalidReferenceGrant()
    {
        // The upstream test's grants, each wrong in one way: none lets the Gateway use certs/certificate.
        var grants = new[]
        {
            SecretGrant("wrong-namespace", FromInfra, "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\"}", ns: "elsewhere"),
            SecretGrant("wrong-from-group", $"{{\"group\":\"not-the-group\",\"kind\":\"Gateway\",\"namespace\":\"{Infra}\"}}", "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\"}"),
            SecretGrant("wrong-from-kind", $"{{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"HTTPRoute\",\"namespace\":\"{Infra}\"}}", "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\"}"),
            SecretGrant("wrong-from-namespace", "{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"namespace\":\"not-infra\"}", "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"certificate\"}"),
            SecretGrant("wrong-to-group", FromInfra, "{\"group\":\"not-the-group\",\"kind\":\"Secret\",\"name\":\"certificate\"}"),
            SecretGrant("wrong-to-kind", FromInfra, "{\"group\":\"\",\"kind\":\"Service\",\"name\":\"certificate\"}"),
            SecretGrant("wrong-to-name", FromInfra, "{\"group\":\"\",\"kind\":\"Secret\",\"name\":\"not-the-certificate\"}"),
        };
        foreach (var grant in grants) Assert.Equal(("RefNotPermitted", (string?)null), CertsListenerWith(grant));
        Assert.Equal(("RefNotPermitted", (string?)null), CertsListenerWith(grants));
    }

    [Fact]
    public void GatewaySecretMissingReferenceGrant()
    {
        Assert.Equal(("RefNotPermitted", (string?)null), CertsListenerWith());
        var gateway = Gateway(CertsListener);
        var status = Convert([], gateway, secrets: new HashSet<string> { "certs/certificate" }).Status[gateway.Key];
        Assert.Equal("False", Condition(status["listeners"]![0]!["conditions"], "Programmed")["status"]!.GetValue<string>());
    }

    [Fact]
    public void HTTPRouteInvalidParentRefNotMatchingSectionName_AndListenerPort()
    {
        var bySection = HttpRoute("s", "{\"parentRefs\":[{\"name\":\"same-namespace\",\"sectionName\":\"nope\"}]}");
        var byPort = HttpRoute("p", "{\"parentRefs\":[{\"name\":\"same-namespace\",\"port\":81}]}");
        var result = Convert([bySection, byPort]);
        Assert.Equal("NoMatchingParent", Reason(ParentCondition(result, bySection, "Accepted")));
        Assert.Equal("NoMatchingParent", Reason(ParentCondition(result, byPort, "Accepted")));
        Assert.Equal(GatewayApiNames.ControllerName, result.Status[bySection.Key]["parents"]![0]!["controllerName"]!.GetValue<string>());
    }

    [Fact]
    public void A_parent_Gateway_of_another_class_gets_no_entry_of_Meshs_and_a_missing_one_NoMatchingParent()
    {
        var theirs = GatewayApiFixture.Object("Gateway", Infra, "theirs", "{\"gatewayClassName\":\"other\",\"listeners\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"HTTP\"}]}");
        var route = HttpRoute("r", "{\"parentRefs\":[{\"name\":\"theirs\"},{\"name\":\"missing\"},{\"name\":\"same-namespace\"}]}");
        var onlyTheirs = HttpRoute("t", "{\"parentRefs\":[{\"name\":\"theirs\"}]}");
        var result = GatewayApiConversion.Convert(new GatewayApiInput { GatewayClasses = [Class], Gateways = [Gateway(), theirs], HttpRoutes = [route, onlyTheirs] });

        var parents = result.Status[route.Key]["parents"]!.AsArray();
        Assert.Equal(["missing", "same-namespace"], parents.Select(p => p!["parentRef"]!["name"]!.GetValue<string>()));
        Assert.Equal("NoMatchingParent", Reason(Condition(parents[0]!["conditions"], "Accepted")));
        // Still a status, with no parent: an entry Mesh wrote before the route moved to their Gateway is taken away.
        Assert.Empty(result.Status[onlyTheirs.Key]["parents"]!.AsArray());
    }

    [Fact]
    public void HTTPRouteInvalidCrossNamespaceParentRef()
    {
        var route = HttpRoute("r", $"{{\"parentRefs\":[{{\"name\":\"same-namespace\",\"namespace\":\"{Infra}\"}}]}}", ns: "gateway-conformance-web-backend");
        Assert.Equal("NotAllowedByListeners", Reason(ParentCondition(Convert([route]), route, "Accepted")));
    }

    [Fact]
    public void HTTPRouteListenerHostnameMatching_NoMatchingListenerHostname()
    {
        var gateway = Gateway("{\"name\":\"a\",\"port\":80,\"protocol\":\"HTTP\",\"hostname\":\"bar.com\"}");
        var route = HttpRoute("r", "{\"parentRefs\":[{\"name\":\"same-namespace\"}],\"hostnames\":[\"foo.com\"]}");
        Assert.Equal("NoMatchingListenerHostname", Reason(ParentCondition(Convert([route], gateway), route, "Accepted")));
    }

    [Fact]
    public void HTTPRouteInvalidBackendRefUnknownKind_AndHTTPRouteInvalidNonExistentBackendRef()
    {
        var unknownKind = HttpRoute("k", "{\"parentRefs\":[{\"name\":\"same-namespace\"}],\"rules\":[{\"backendRefs\":[{\"group\":\"unknown.example.com\",\"kind\":\"Thing\",\"name\":\"x\"}]}]}");
        Assert.Equal("InvalidKind", Reason(ParentCondition(Convert([unknownKind]), unknownKind, "ResolvedRefs")));

        var missing = HttpRoute("m", "{\"parentRefs\":[{\"name\":\"same-namespace\"}],\"rules\":[{\"backendRefs\":[{\"name\":\"nonexistent\",\"port\":8080}]}]}");
        var result = GatewayApiConversion.Convert(new GatewayApiInput
        {
            GatewayClasses = [Class], Gateways = [Gateway()], HttpRoutes = [missing], ServiceHosts = new HashSet<string>(),
        });
        Assert.Equal("BackendNotFound", Reason(ParentCondition(result, missing, "ResolvedRefs")));
    }

    [Fact]
    public void LastTransitionTime_IsKeptWhileAConditionDoesNotChange()
    {
        var first = GatewayApiConversion.Convert(new GatewayApiInput { GatewayClasses = [Class], Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z") });
        var second = GatewayApiConversion.Convert(new GatewayApiInput
        {
            GatewayClasses = [Class], Now = DateTimeOffset.Parse("2026-02-01T00:00:00Z"), PreviousStatus = first.Status,
        });
        Assert.Equal("2026-01-01T00:00:00Z", Condition(second.Status[Class.Key]["conditions"], "Accepted")["lastTransitionTime"]!.GetValue<string>());
    }
}

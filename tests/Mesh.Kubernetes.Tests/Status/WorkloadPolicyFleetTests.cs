using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

/// <summary>The kinds that select workloads: which proxies they reach (by the namespace and labels the proxies' node
/// metadata gives), which of those run them, and which NACKs are theirs.</summary>
public class WorkloadPolicyFleetTests
{
    private const string DenyReviews = """{"selector": {"matchLabels": {"app": "reviews"}}, "action": "DENY", "rules": [{"to": [{"operation": {"methods": ["DELETE"]}}]}]}""";
    private static readonly DateTimeOffset After = Changed.AddSeconds(1);
    private static readonly DateTimeOffset Before = Changed.AddSeconds(-5);

    private static FleetScope AuthorizationPolicy(string @namespace, string spec, string name = "reviews-deny") =>
        Scope(ResourceKinds.AuthorizationPolicy, @namespace, name, spec)!;

    private static IEnumerable<string> Reached(FleetScope scope, params ProxySnapshot[] proxies) =>
        proxies.Where(scope.Reaches).Select(p => p.NodeId.Split('~')[2]);

    [Fact]
    public void An_AuthorizationPolicy_with_a_selector_reaches_the_sidecars_and_gateways_of_its_namespace_whose_labels_it_matches()
    {
        var scope = AuthorizationPolicy("bookinfo", DenyReviews);

        Assert.Equal(["reviews-v1.bookinfo", "reviews-gw.bookinfo"], Reached(scope,
            Sidecar("reviews-v1", "bookinfo", "app=reviews,version=v1"),
            Sidecar("ratings-v1", "bookinfo", "app=ratings"),
            Sidecar("reviews-v1", "shop", "app=reviews"),
            Sidecar("unlabelled", "bookinfo", ""),
            Gateway("reviews-gw", "bookinfo", "app=reviews")));
    }

    [Fact]
    public void A_policy_without_selector_reaches_its_namespace_and_in_the_root_namespace_the_whole_mesh()
    {
        var proxies = new[] { Sidecar("reviews-v1", "bookinfo", "app=reviews"), Sidecar("cart", "shop", "app=cart"), Gateway("ingress", Root, "istio=ingressgateway") };

        Assert.Equal(["reviews-v1.bookinfo"], Reached(AuthorizationPolicy("bookinfo", """{"action": "DENY", "rules": [{}]}"""), proxies));
        Assert.Equal(["reviews-v1.bookinfo", "cart.shop", $"ingress.{Root}"], Reached(AuthorizationPolicy(Root, """{"action": "DENY", "rules": [{}]}"""), proxies));
        // With a selector, a root-namespace AuthorizationPolicy picks its workloads in every namespace.
        Assert.Equal(["cart.shop"], Reached(AuthorizationPolicy(Root, """{"selector": {"matchLabels": {"app": "cart"}}, "rules": [{}]}"""), proxies));
    }

    [Fact]
    public void A_policy_attached_by_targetRef_reaches_no_proxy()
    {
        var scope = AuthorizationPolicy("bookinfo", """{"targetRefs": [{"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "edge"}], "rules": [{}]}""");
        Assert.Empty(Reached(scope, Sidecar("reviews-v1", "bookinfo", "app=reviews"), Gateway("edge", "bookinfo", "gateway.networking.k8s.io/gateway-name=edge")));
    }

    [Fact]
    public void An_AuthorizationPolicy_runs_on_a_selected_proxy_once_a_listener_response_sent_after_the_change_is_ACKed()
    {
        var proxies = new[]
        {
            Sidecar("a", "bookinfo", "app=reviews", Listeners(After), Clusters(Before)),
            Sidecar("b", "bookinfo", "app=reviews", Listeners(Before)),           // not pushed the change yet
            Sidecar("c", "bookinfo", "app=reviews", Listeners(After, acked: false)),
            Sidecar("d", "bookinfo", "app=reviews", Clusters(After)),             // no listeners at all
            Sidecar("e", "bookinfo", "app=ratings", Listeners(After)),            // not selected
        };

        var fleet = FleetStatus.Of(AuthorizationPolicy("bookinfo", DenyReviews), proxies, Changed);

        Assert.Equal((4, 1, 0), (fleet.Reached, fleet.Running, fleet.Nacks.Count));
    }

    [Theory]
    [InlineData("virtualInbound|bookinfo|reviews-v1: rbac[0].rules.policies[\"ns[bookinfo]-policy[reviews-deny]-rule[0]\"].permissions[0]: bad", true)]
    [InlineData("virtualInbound|bookinfo|reviews-v1: rbac[0].rules.policies[\"ns[bookinfo]-policy[reviews-deny-2]-rule[0]\"].permissions[0]: bad", false)]
    [InlineData("virtualInbound|bookinfo|reviews-v1: rbac[0].rules.policies[\"ns[shop]-policy[reviews-deny]-rule[0]\"]: bad", false)]
    [InlineData("virtualInbound|bookinfo|reviews-v1: jwt_authn: providers[origins-0]: bad issuer", false)]
    public void A_listener_NACK_is_the_AuthorizationPolicys_only_when_it_names_one_of_its_RBAC_policies(string error, bool blamed)
    {
        var proxy = Sidecar("reviews-v1", "bookinfo", "app=reviews", Listeners(After, acked: false, nack: error));

        var fleet = FleetStatus.Of(AuthorizationPolicy("bookinfo", DenyReviews), [proxy], Changed);

        Assert.Equal((1, 0, blamed ? 1 : 0), (fleet.Reached, fleet.Running, fleet.Nacks.Count));
    }

    [Fact]
    public void A_NACK_naming_the_AuthorizationPolicy_on_a_proxy_it_does_not_select_is_not_its()
    {
        var error = "rbac[0].rules.policies[\"ns[bookinfo]-policy[reviews-deny]-rule[0]\"]: bad";
        var fleet = FleetStatus.Of(AuthorizationPolicy("bookinfo", DenyReviews), [Sidecar("ratings", "bookinfo", "app=ratings", Listeners(After, acked: false, nack: error))], Changed);
        Assert.Equal((0, 0), (fleet.Reached, fleet.Nacks.Count));
    }

    [Fact]
    public void A_RequestAuthentication_reaches_sidecars_and_gateways_as_an_AuthorizationPolicy_does_and_is_never_blamed()
    {
        var scope = Scope(ResourceKinds.RequestAuthentication, Root, "jwt",
            """{"selector": {"matchLabels": {"istio": "ingressgateway"}}, "jwtRules": [{"issuer": "https://issuer.example.com"}]}""")!;
        var gateway = Gateway("ingress", "edge", "istio=ingressgateway",
            Listeners(After, acked: false, nack: "gateway|edge|ingress|443: jwt_authn: providers[origins-0] (issuer https://issuer.example.com): bad"));
        var running = Gateway("ingress-2", "edge", "istio=ingressgateway", Listeners(After));

        var fleet = FleetStatus.Of(scope, [gateway, running, Sidecar("reviews-v1", "bookinfo", "app=reviews", Listeners(After))], Changed);

        Assert.Equal((2, 1, 0), (fleet.Reached, fleet.Running, fleet.Nacks.Count));
    }

    [Fact]
    public void A_PeerAuthentication_reaches_sidecars_only_and_a_root_one_with_a_selector_reaches_none_elsewhere()
    {
        var proxies = new[] { Sidecar("reviews-v1", "bookinfo", "app=reviews"), Gateway("ingress", "bookinfo", "app=reviews") };

        Assert.Equal(["reviews-v1.bookinfo"], Reached(Scope(ResourceKinds.PeerAuthentication, "bookinfo", "default", """{"mtls": {"mode": "STRICT"}}""")!, proxies));
        Assert.Empty(Reached(Scope(ResourceKinds.PeerAuthentication, Root, "reviews",
            """{"selector": {"matchLabels": {"app": "reviews"}}, "mtls": {"mode": "STRICT"}}""")!, proxies));
    }

    [Fact]
    public void A_PeerAuthentication_runs_once_the_listeners_are_ACKed_after_the_change_and_is_never_blamed()
    {
        var scope = Scope(ResourceKinds.PeerAuthentication, "bookinfo", "default", """{"mtls": {"mode": "STRICT"}}""")!;
        var proxies = new[]
        {
            Sidecar("a", "bookinfo", "app=reviews", Listeners(After)),
            Sidecar("b", "bookinfo", "app=ratings", Listeners(After, acked: false, nack: "virtualInbound|bookinfo|b: downstream tls: bad")),
        };

        var fleet = FleetStatus.Of(scope, proxies, Changed);

        Assert.Equal((2, 1, 0), (fleet.Reached, fleet.Running, fleet.Nacks.Count));
    }

    [Fact]
    public void A_Sidecar_has_no_fleet_since_Mesh_does_not_apply_it_and_its_status_says_so()
    {
        Assert.Null(Scope(ResourceKinds.Sidecar, "bookinfo", "default", """{"egress": [{"hosts": ["./*"]}]}"""));

        var status = ObjectStatus.Build(new SourcedObject(ResourceKinds.Sidecar, "bookinfo", "default", 1, []), null, null, Changed);
        var reconciled = status["conditions"]![0]!;
        Assert.Equal("True", reconciled["status"]!.GetValue<string>());
        Assert.Contains("does not apply Sidecar resources", reconciled["message"]!.GetValue<string>());
        Assert.Null(status["fleet"]);
    }

    [Fact]
    public void A_Gateway_reaches_the_gateways_of_any_namespace_whose_labels_include_its_selector_but_no_sidecar()
    {
        var scope = Scope(ResourceKinds.Gateway, "bookinfo", "edge",
            """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""")!;

        Assert.Equal(["ingress.edge", "ingress.istio-system"], Reached(scope,
            Gateway("ingress", "edge", "istio=ingressgateway,app=ingress"),
            Gateway("ingress", Root, "istio=ingressgateway"),
            Gateway("egress", Root, "istio=egressgateway"),
            Sidecar("reviews-v1", "bookinfo", "istio=ingressgateway")));
    }

    [Fact]
    public void A_Gateway_runs_once_its_listeners_and_routes_are_ACKed_and_one_was_sent_after_the_change_and_is_never_blamed()
    {
        var scope = Scope(ResourceKinds.Gateway, "bookinfo", "edge",
            """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""")!;
        const string Listener = "gateway|edge|ingress|80";
        var proxies = new[]
        {
            Gateway("a", "edge", "istio=ingressgateway", Listeners(After, names: Listener), Routes(Before, names: Listener)),
            Gateway("b", "edge", "istio=ingressgateway", Listeners(After, names: Listener), Routes(After, acked: false, names: Listener)),
            Gateway("c", "edge", "istio=ingressgateway", Listeners(Before, names: Listener), Routes(Before, names: Listener)),
            Gateway("d", "edge", "istio=ingressgateway", Listeners(After, names: Listener),
                Routes(After, acked: false, nack: $"RouteConfiguration {Listener}: virtual host bookinfo.example.com:80: bad", Listener)),
        };

        var fleet = FleetStatus.Of(scope, proxies, Changed);

        Assert.Equal((4, 1, 0), (fleet.Reached, fleet.Running, fleet.Nacks.Count));
    }
}

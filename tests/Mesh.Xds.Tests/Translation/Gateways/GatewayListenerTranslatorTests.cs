using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Mesh.Xds.Translation;
using Mesh.Xds.Translation.Gateways;
using static Mesh.Xds.Tests.Translation.Gateways.Gateways;
using TlsProtocol = Envoy.Extensions.TransportSockets.Tls.V3.TlsParameters.Types.TlsProtocol;

namespace Mesh.Xds.Tests.Translation.Gateways;

public sealed class GatewayListenerTranslatorTests
{
    private static Listener Translate(int port, params BoundGateway[] gateways) =>
        GatewayListenerTranslator.Translate(WorkloadNamespace, Workload, port, GatewayInputs.Of(gateways), HttpListenerSettings.Default)
        ?? throw new InvalidOperationException("no listener");

    private static DownstreamTlsContext Tls(FilterChain chain)
    {
        Assert.Equal("envoy.transport_sockets.tls", chain.TransportSocket.Name);
        return chain.TransportSocket.TypedConfig.Unpack<DownstreamTlsContext>();
    }

    [Fact]
    public void Plaintext_server_is_one_chain_with_rds_named_after_the_listener()
    {
        var listener = Translate(8080, Gateway($"[{On(8080, "HTTP", """["*"]""")}]"));

        Assert.Equal("gateway|istio-system|ingress|8080", listener.Name);
        Assert.Equal("0.0.0.0", listener.Address.SocketAddress.Address);
        Assert.Equal(8080u, listener.Address.SocketAddress.PortValue);
        var chain = Assert.Single(listener.FilterChains);
        Assert.Null(chain.FilterChainMatch);
        Assert.Null(chain.TransportSocket);
        var manager = Assert.Single(chain.Filters).TypedConfig.Unpack<HttpConnectionManager>();
        Assert.Equal("gateway|istio-system|ingress|8080", manager.Rds.RouteConfigName);
        Assert.NotNull(manager.Rds.ConfigSource.Ads);
        Assert.Equal("envoy.filters.http.router", manager.HttpFilters.Last().Name);
        Assert.True(manager.UseRemoteAddress);
        Assert.Empty(listener.ListenerFilters);
    }

    [Fact]
    public void The_workloads_jwt_and_rbac_filters_run_before_the_router_on_every_http_chain()
    {
        HttpFilter[] security = [new() { Name = "envoy.filters.http.jwt_authn" }, new() { Name = "envoy.filters.http.rbac" }];
        var inputs = GatewayInputs.Of(Gateway($"[{On(8080, "HTTP", """["*"]""")}]")) with { Security = security };

        var listener = GatewayListenerTranslator.Translate(WorkloadNamespace, Workload, 8080, inputs, HttpListenerSettings.Default)!;

        var manager = Assert.Single(Assert.Single(listener.FilterChains).Filters).TypedConfig.Unpack<HttpConnectionManager>();
        Assert.Equal(["envoy.filters.http.fault", "envoy.filters.http.jwt_authn", "envoy.filters.http.rbac", "envoy.filters.http.router"],
            manager.HttpFilters.Select(f => f.Name));
    }

    [Fact]
    public void A_port_serving_a_route_with_a_CORS_policy_runs_the_CORS_filter_before_authentication()
    {
        HttpFilter[] security = [new() { Name = "envoy.filters.http.jwt_authn" }];
        const string cors = """
            {"hosts": ["a.example.com"], "gateways": ["istio-system/gw"], "http": [{"corsPolicy": {"allowOrigins": [{"exact": "https://a.example"}]},
              "route": [{"destination": {"host": "productpage", "port": {"number": 9080}}}]}]}
            """;
        var gateway = Gateway(Servers(On(8080, "HTTP", """["*"]"""), On(9090, "HTTP", """["b.example.com"]""")), Route("web", "cors", cors));

        HttpConnectionManager Manager(int port) => Assert.Single(Assert.Single(GatewayListenerTranslator.Translate(WorkloadNamespace, Workload, port,
            GatewayInputs.Of(gateway) with { Security = security }, HttpListenerSettings.Default)!.FilterChains).Filters).TypedConfig.Unpack<HttpConnectionManager>();

        Assert.Equal(["envoy.filters.http.cors", "envoy.filters.http.fault", "envoy.filters.http.jwt_authn", "envoy.filters.http.router"],
            Manager(8080).HttpFilters.Select(f => f.Name));
        // The route's host is not served on 9090: no CORS filter there.
        Assert.Equal(["envoy.filters.http.fault", "envoy.filters.http.jwt_authn", "envoy.filters.http.router"], Manager(9090).HttpFilters.Select(f => f.Name));
    }

    [Fact]
    public void A_port_no_server_uses_has_no_listener() =>
        Assert.Null(GatewayListenerTranslator.Translate(WorkloadNamespace, Workload, 9999, GatewayInputs.Of(Gateway($"[{On(8080, "HTTP", """["*"]""")}]")), HttpListenerSettings.Default));

    [Fact]
    public void Simple_server_matches_its_hosts_by_SNI_and_takes_its_certificate_over_SDS_from_the_workload_namespace()
    {
        var listener = Translate(8443, Gateway(
            Servers(On(8443, "HTTPS", """["prod/a.example.com", "*.b.example.com"]""", """{"mode": "SIMPLE", "credentialName": "a-cert"}"""))));

        var chain = Assert.Single(listener.FilterChains);
        Assert.Equal(["a.example.com", "*.b.example.com"], chain.FilterChainMatch.ServerNames);
        var tls = Tls(chain);
        var certificate = Assert.Single(tls.CommonTlsContext.TlsCertificateSdsSecretConfigs);
        Assert.Equal("kubernetes://istio-system/a-cert", certificate.Name);
        Assert.NotNull(certificate.SdsConfig.Ads);
        Assert.Null(tls.CommonTlsContext.ValidationContextSdsSecretConfig);
        Assert.False(tls.RequireClientCertificate);
        Assert.Equal(["h2", "http/1.1"], tls.CommonTlsContext.AlpnProtocols);
        Assert.Null(tls.CommonTlsContext.TlsParams);
        Assert.Equal("gateway|istio-system|ingress|8443", Assert.Single(chain.Filters).TypedConfig.Unpack<HttpConnectionManager>().Rds.RouteConfigName);
        Assert.Equal("envoy.filters.listener.tls_inspector", Assert.Single(listener.ListenerFilters).Name);
    }

    [Fact]
    public void A_granted_certificate_of_another_namespace_keeps_its_own_SDS_name()
    {
        // What the Gateway API conversion writes for a certificateRef a ReferenceGrant allows: not the workload's namespace.
        var listener = Translate(8443, Gateway(
            Servers(On(8443, "HTTPS", """["a.example.com"]""", """{"mode": "MUTUAL", "credentialName": "kubernetes-gateway://certs/a-cert"}"""))));

        var tls = Tls(Assert.Single(listener.FilterChains));
        Assert.Equal("kubernetes-gateway://certs/a-cert", Assert.Single(tls.CommonTlsContext.TlsCertificateSdsSecretConfigs).Name);
        Assert.Equal("kubernetes-gateway://certs/a-cert-cacert", tls.CommonTlsContext.ValidationContextSdsSecretConfig.Name);
    }

    [Theory]
    [InlineData("MUTUAL", true)]
    [InlineData("OPTIONAL_MUTUAL", false)]
    public void Mutual_modes_verify_clients_with_the_cacert_secret(string mode, bool required)
    {
        var listener = Translate(8443, Gateway(
            Servers(On(8443, "HTTPS", """["a.example.com"]""", $$"""{"mode": "{{mode}}", "credentialName": "a-cert"}"""))));

        var tls = Tls(Assert.Single(listener.FilterChains));
        Assert.Equal("kubernetes://istio-system/a-cert-cacert", tls.CommonTlsContext.ValidationContextSdsSecretConfig.Name);
        Assert.Equal(required, tls.RequireClientCertificate);
    }

    [Fact]
    public void Protocol_versions_and_cipher_suites_become_tls_params()
    {
        var listener = Translate(8443, Gateway(Servers(On(8443, "HTTPS", """["a.example.com"]""",
            """{"mode": "SIMPLE", "credentialName": "c", "minProtocolVersion": "TLSV1_2", "maxProtocolVersion": "TLSV1_3", "cipherSuites": ["ECDHE-RSA-AES128-GCM-SHA256"]}"""))));

        var parameters = Tls(Assert.Single(listener.FilterChains)).CommonTlsContext.TlsParams;
        Assert.Equal(TlsProtocol.Tlsv12, parameters.TlsMinimumProtocolVersion);
        Assert.Equal(TlsProtocol.Tlsv13, parameters.TlsMaximumProtocolVersion);
        Assert.Equal(["ECDHE-RSA-AES128-GCM-SHA256"], parameters.CipherSuites);
    }

    [Fact]
    public void Several_certificates_on_one_port_are_several_chains_chosen_by_SNI()
    {
        var listener = Translate(8443, Gateway(Servers(
            On(8443, "HTTPS", """["a.example.com"]""", """{"mode": "SIMPLE", "credentialName": "a-cert"}"""),
            On(8443, "HTTPS", """["b.example.com"]""", """{"mode": "SIMPLE", "credentialName": "b-cert"}"""),
            On(8443, "HTTPS", """["*"]""", """{"mode": "SIMPLE", "credentialName": "default-cert"}"""))));

        Assert.Equal(3, listener.FilterChains.Count);
        var byName = listener.FilterChains.ToDictionary(c => c.FilterChainMatch is null ? "" : string.Join(",", c.FilterChainMatch.ServerNames),
            c => Tls(c).CommonTlsContext.TlsCertificateSdsSecretConfigs[0].Name);
        Assert.Equal("kubernetes://istio-system/a-cert", byName["a.example.com"]);
        Assert.Equal("kubernetes://istio-system/b-cert", byName["b.example.com"]);
        // "*" serves any name: the default chain, chosen when no SNI matches.
        Assert.Equal("kubernetes://istio-system/default-cert", byName[""]);
    }

    [Fact]
    public void Two_gateways_selecting_one_workload_both_add_their_chains_and_a_repeated_SNI_keeps_the_first()
    {
        var first = Gateway("istio-system", "a", Servers(On(8443, "HTTPS", """["a.example.com"]""", """{"mode": "SIMPLE", "credentialName": "a"}""")));
        var second = Gateway("shop", "b", Servers(
            On(8443, "HTTPS", """["b.example.com"]""", """{"mode": "SIMPLE", "credentialName": "b"}"""),
            On(8443, "HTTPS", """["a.example.com"]""", """{"mode": "SIMPLE", "credentialName": "late"}""")));

        var listener = Translate(8443, first, second);

        Assert.Equal(["kubernetes://istio-system/a", "kubernetes://istio-system/b"],
            listener.FilterChains.Select(c => Tls(c).CommonTlsContext.TlsCertificateSdsSecretConfigs[0].Name));
    }

    [Fact]
    public void Passthrough_routes_each_tls_match_by_SNI_to_its_destinations_without_terminating()
    {
        var route = Route("web", "nginx", """
            {"hosts": ["*.example.com"], "gateways": ["istio-system/gw"], "tls": [
              {"match": [{"sniHosts": ["nginx.example.com"]}], "route": [{"destination": {"host": "nginx", "port": {"number": 443}}}]},
              {"match": [{"sniHosts": ["api.example.com"], "port": 443}], "route": [
                {"destination": {"host": "api-v1", "port": {"number": 8443}}, "weight": 90},
                {"destination": {"host": "api-v2", "port": {"number": 8443}}, "weight": 10}]},
              {"match": [{"sniHosts": ["other.example.com"]}], "route": [{"destination": {"host": "other"}}]},
              {"match": [{"sniHosts": ["elsewhere.example.com"], "port": 9443}], "route": [{"destination": {"host": "x"}}]}]}
            """);
        var listener = Translate(443, Gateway(Servers(On(443, "TLS", """["*/nginx.example.com", "*/api.example.com", "*/elsewhere.example.com"]""", """{"mode": "PASSTHROUGH"}""")), route));

        Assert.Equal(2, listener.FilterChains.Count);
        var nginx = listener.FilterChains[0];
        Assert.Equal(["nginx.example.com"], nginx.FilterChainMatch.ServerNames);
        Assert.Null(nginx.TransportSocket);
        var filter = Assert.Single(nginx.Filters);
        Assert.Equal("envoy.filters.network.tcp_proxy", filter.Name);
        Assert.Equal("outbound|443||nginx.web.svc.cluster.local", filter.TypedConfig.Unpack<TcpProxy>().Cluster);
        var api = listener.FilterChains[1].Filters[0].TypedConfig.Unpack<TcpProxy>();
        Assert.Equal(["outbound|8443||api-v1.web.svc.cluster.local", "outbound|8443||api-v2.web.svc.cluster.local"], api.WeightedClusters.Clusters.Select(c => c.Name));
        Assert.Equal([90u, 10u], api.WeightedClusters.Clusters.Select(c => c.Weight));
        Assert.Equal("envoy.filters.listener.tls_inspector", Assert.Single(listener.ListenerFilters).Name);
    }

    [Fact]
    public void Passthrough_without_a_bound_tls_route_has_no_listener() =>
        Assert.Null(GatewayListenerTranslator.Translate(WorkloadNamespace, Workload, 443,
            GatewayInputs.Of(Gateway(Servers(On(443, "TLS", """["nginx.example.com"]""", """{"mode": "PASSTHROUGH"}""")))), HttpListenerSettings.Default));

    [Fact]
    public void Sni_names_drop_the_namespace_and_a_star_means_the_default_chain()
    {
        Assert.Equal(["a.example.com", "*.b.example.com"], GatewayListenerTranslator.SniNames(["./a.example.com", "prod/*.b.example.com", "A.example.com"]));
        Assert.Empty(GatewayListenerTranslator.SniNames(["a.example.com", "*/*"]));
    }
}

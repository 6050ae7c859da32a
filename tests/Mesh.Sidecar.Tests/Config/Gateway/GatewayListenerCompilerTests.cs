using System.Net.Security;
using System.Security.Authentication;
using Mesh.Sidecar.Config.Gateway;
using static Mesh.Sidecar.Tests.Config.Gateway.GatewayResources;

namespace Mesh.Sidecar.Tests.Config.Gateway;

public sealed class GatewayListenerCompilerTests
{
    [Fact]
    public void A_plaintext_chain_routes_HTTP_by_the_listeners_own_route_configuration()
    {
        var (model, errors) = Compile(Listener($$"""{"filters": [{{Http()}}]}""", inspector: false));

        Assert.Empty(errors);
        var listener = model!.Gateways[Name];
        var chain = Assert.Single(listener.Chains);
        Assert.Equal((8443, false, Name, null, null), (listener.Port, listener.InspectsTls, chain.Http!.RouteConfigName, chain.Tls, chain.Tcp));
        Assert.Same(chain, listener.Select(null, tls: false));
        Assert.Contains(Name, model.References.Routes.Names);
    }

    [Fact]
    public void The_connection_managers_rbac_filter_becomes_the_chains_security_and_routing_keeps_the_rest()
    {
        var manager = """
            {"name": "envoy.filters.network.http_connection_manager", "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              "stat_prefix": "gw", "rds": {"route_config_name": "ROUTE"}, "http_filters": [
                {"name": "envoy.filters.http.rbac", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
                  "rules": {"action": "DENY", "policies": {"ns[istio-system]-policy[deny-all]-rule[0]": {"permissions": [{"any": true}], "principals": [{"any": true}]}}}}},
                {"name": "envoy.filters.http.router"}]}}
            """.Replace("ROUTE", Name, StringComparison.Ordinal);

        var (model, errors) = Compile(Listener($$"""{"filters": [{{manager}}]}""", inspector: false));

        Assert.Empty(errors);
        var chain = Assert.Single(model!.Gateways[Name].Chains);
        Assert.Equal(Name, chain.Http!.RouteConfigName);
        Assert.Equal(1, chain.Security!.Filters.Rbac.FilterCount);
        Assert.Null(Assert.Single(model.Gateways[Name].Chains).Security!.Filters.Jwt);
    }

    [Fact]
    public void A_chain_without_jwt_or_rbac_has_no_security() =>
        Assert.Null(Assert.Single(Compile(Listener($$"""{"filters": [{{Http()}}]}""", inspector: false)).Model!.Gateways[Name].Chains).Security);

    [Fact]
    public void An_HTTPS_chain_terminates_TLS_with_its_SDS_certificate_and_asks_for_that_secret()
    {
        var (model, errors) = Compile(Listener($$"""
            {"filter_chain_match": {"server_names": ["api.example.com"]}, "transport_socket": {{Tls("kubernetes://istio-system/api-cert",
              extra: """, "tls_params": {"tls_minimum_protocol_version": "TLSv1_3", "cipher_suites": ["ECDHE-RSA-AES128-GCM-SHA256"]}""")}},
             "filters": [{{Http()}}]}
            """));

        Assert.Empty(errors);
        var chain = Assert.Single(model!.Gateways[Name].Chains);
        var tls = chain.Tls!;
        Assert.Equal(["api.example.com"], chain.ServerNames);
        Assert.Equal(("kubernetes://istio-system/api-cert", null, false, SslProtocols.Tls13), (tls.CertificateSecret, tls.TrustSecret, tls.RequireClientCertificate, tls.Protocols));
        Assert.Equal([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], tls.CipherSuites);
        Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], tls.ApplicationProtocols);
        Assert.Equal(["kubernetes://istio-system/api-cert"], model.References.Secrets.Names);
        // The secret has not arrived: the chain compiles, and has no certificate to present yet.
        Assert.Empty(model.Secrets);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_mutual_chain_verifies_client_certificates_against_the_cacert_secret(bool required)
    {
        var (model, errors) = Compile(Listener($$"""
            {"transport_socket": {{Tls("kubernetes://ns/cert",
              extra: """, "combined_validation_context": {"default_validation_context": {}, "validation_context_sds_secret_config": {"name": "kubernetes://ns/cert-cacert", "sds_config": {"ads": {}}}}""",
              context: $$""", "require_client_certificate": {{(required ? "true" : "false")}}""")}}, "filters": [{{Http()}}]}
            """));

        Assert.Empty(errors);
        var tls = Assert.Single(model!.Gateways[Name].Chains).Tls!;
        Assert.Equal(("kubernetes://ns/cert-cacert", required, SslProtocols.Tls12 | SslProtocols.Tls13), (tls.TrustSecret, tls.RequireClientCertificate, tls.Protocols));
        Assert.Equal(["kubernetes://ns/cert", "kubernetes://ns/cert-cacert"], model.References.Secrets.Names.Order());
    }

    [Fact]
    public void A_passthrough_chain_forwards_the_connection_to_its_cluster_and_asks_for_that_cluster()
    {
        var (model, errors) = Compile(Listener($$"""{"filter_chain_match": {"server_names": ["db.example.com"]}, "filters": [{{Tcp("outbound|443||db.example.com")}}]}"""));

        Assert.Empty(errors);
        var chain = Assert.Single(model!.Gateways[Name].Chains);
        Assert.Null(chain.Tls);
        Assert.Equal("outbound|443||db.example.com", Assert.Single(chain.Tcp!.Clusters).Name);
        Assert.Contains("outbound|443||db.example.com", model.References.Clusters.Names);
    }

    /// <summary>Envoy's order: exact server name, then the longest wildcard suffix, then the chains without server
    /// names; among those the transport protocol; then the default chain.</summary>
    [Theory]
    [InlineData("api.example.com", true, "exact")]
    [InlineData("API.example.com", true, "exact")]
    [InlineData("www.example.com", true, "wildcard")]
    [InlineData("a.b.example.com", true, "wildcard")]
    [InlineData("x.eu.example.com", true, "longer-wildcard")]
    [InlineData("example.com", true, "any-name")]
    [InlineData("other.org", true, "any-name")]
    [InlineData(null, true, "any-name")]
    [InlineData(null, false, "plaintext")]
    public void The_chain_is_chosen_by_server_name_as_Envoy_chooses_it(string? serverName, bool tls, string expected)
    {
        var (model, errors) = Compile(Listener($$"""
            {"name": "exact", "filter_chain_match": {"server_names": ["api.example.com"]}, "transport_socket": {{Tls("a")}}, "filters": [{{Http()}}]},
            {"name": "wildcard", "filter_chain_match": {"server_names": ["*.example.com"]}, "transport_socket": {{Tls("b")}}, "filters": [{{Http()}}]},
            {"name": "longer-wildcard", "filter_chain_match": {"server_names": ["*.eu.example.com"]}, "filters": [{{Tcp("outbound|443||eu")}}]},
            {"name": "any-name", "filter_chain_match": {"transport_protocol": "tls"}, "transport_socket": {{Tls("c")}}, "filters": [{{Http()}}]},
            {"name": "plaintext", "filter_chain_match": {"transport_protocol": "raw_buffer"}, "filters": [{{Http()}}]}
            """));
        Assert.Empty(errors);

        Assert.Equal(expected, model!.Gateways[Name].Select(serverName?.ToLowerInvariant(), tls)?.Name);
    }

    [Fact]
    public void A_connection_no_chain_matches_gets_the_default_chain_or_none()
    {
        var chains = $$"""{"filter_chain_match": {"server_names": ["api.example.com"]}, "transport_socket": {{Tls("a")}}, "filters": [{{Http()}}]}""";
        var (without, _) = Compile(Listener(chains));
        var (with, errors) = Compile(Listener(chains, extra: $$""", "default_filter_chain": {"name": "fallback", "filters": [{{Tcp("outbound|443||elsewhere")}}]}"""));

        Assert.Empty(errors);
        Assert.Null(without!.Gateways[Name].Select("other.example.com", tls: true));
        Assert.Equal("fallback", with!.Gateways[Name].Select("other.example.com", tls: true)?.Name);
        Assert.Equal("api.example.com", Assert.Single(with.Gateways[Name].Select("api.example.com", tls: true)!.ServerNames));
    }

    [Theory]
    [InlineData("""{"filter_chain_match": {"destination_port": 8443}, "filters": [HTTP]}""",
        "filter_chains[0].filter_chain_match.destination_port: not supported by mesh-sidecar (one listener per port)")]
    [InlineData("""{"filter_chain_match": {"server_names": ["a*.example.com"]}, "filters": [HTTP]}""",
        "filter_chains[0].filter_chain_match.server_names[0]: \"a*.example.com\" is not a server name or a *.suffix wildcard")]
    [InlineData("""{"filters": []}""",
        "filter_chains[0].filters: exactly one network filter is supported by mesh-sidecar (envoy.filters.network.http_connection_manager or envoy.filters.network.tcp_proxy), has 0")]
    [InlineData("""{"filters": [{"name": "envoy.filters.network.redis_proxy"}]}""",
        "filter_chains[0].filters[0]: \"envoy.filters.network.redis_proxy\" (no typed_config) is not supported by mesh-sidecar (envoy.filters.network.http_connection_manager or envoy.filters.network.tcp_proxy)")]
    [InlineData("""{"transport_socket": TLS, "filters": [TCP]}""",
        "filter_chains[0].transport_socket: a envoy.filters.network.tcp_proxy chain that terminates TLS is not supported by mesh-sidecar (passthrough only)")]
    [InlineData("""{"filters": [HTTP]}, {"filters": [HTTP]}""",
        "filter_chains[1].filter_chain_match: another chain already matches server name \"\" with transport protocol \"\"")]
    [InlineData("""{"transport_socket": {"name": "envoy.transport_sockets.alts"}, "filters": [HTTP]}""",
        "filter_chains[0].transport_socket.name: \"envoy.transport_sockets.alts\" is not supported by mesh-sidecar (envoy.transport_sockets.tls)")]
    public void A_chain_the_gateway_cannot_serve_is_refused_with_its_field_path(string chains, string error)
    {
        var (model, errors) = Compile(Listener(chains.Replace("HTTP", Http()).Replace("TCP", Tcp("outbound|443||db")).Replace("TLS", Tls("s"))));

        Assert.Null(model);
        Assert.Equal($"Listener {Name}: {error}", Assert.Single(errors));
    }

    [Theory]
    [InlineData(""", "tls_params": {"cipher_suites": ["ECDHE-RSA-AES128-GCM-SHA256", "RC4-MD5"]}""", "",
        "common_tls_context.tls_params.cipher_suites[1]: \"RC4-MD5\" is not a cipher suite mesh-sidecar supports")]
    [InlineData(""", "tls_params": {"tls_minimum_protocol_version": "TLSv1_1"}""", "",
        "common_tls_context.tls_params.tls_minimum_protocol_version: Tlsv11 is not supported by mesh-sidecar (TLSv1_2 and TLSv1_3 only)")]
    [InlineData(""", "tls_params": {"tls_minimum_protocol_version": "TLSv1_3", "tls_maximum_protocol_version": "TLSv1_2"}""", "",
        "common_tls_context.tls_params: tls_minimum_protocol_version Tlsv13 is above tls_maximum_protocol_version Tlsv12")]
    [InlineData("", """, "require_client_certificate": true""",
        "require_client_certificate: needs a validation context to verify client certificates against")]
    [InlineData(""", "validation_context": {"trusted_ca": {"inline_string": "x"}}""", "",
        "common_tls_context: ValidationContext is not supported by mesh-sidecar; name an SDS secret in validation_context_sds_secret_config")]
    [InlineData(""", "tls_certificates": [{}]""", "",
        "common_tls_context.tls_certificates: inline certificates are not supported by mesh-sidecar; name an SDS secret in tls_certificate_sds_secret_configs")]
    [InlineData("", """, "require_sni": true""",
        "require_sni: not supported by mesh-sidecar (match server_names, and add a chain without them to refuse the rest)")]
    public void TLS_settings_the_gateway_cannot_honour_are_refused_with_their_field_path(string common, string context, string error)
    {
        var (model, errors) = Compile(Listener($$"""{"transport_socket": {{Tls("s", common, context)}}, "filters": [{{Http()}}]}"""));

        Assert.Null(model);
        Assert.StartsWith($"Listener {Name}: filter_chains[0].transport_socket.typed_config.{error}", Assert.Single(errors));
    }

    [Fact]
    public void Listener_filters_other_than_the_TLS_inspector_are_refused()
    {
        var listener = Listener($$"""{"filters": [{{Http()}}]}""");
        listener.ListenerFilters.Add(new Envoy.Config.Listener.V3.ListenerFilter { Name = "envoy.filters.listener.original_dst" });

        var (_, errors) = Compile(listener);

        Assert.Equal($"Listener {Name}: listener_filters[1]: \"envoy.filters.listener.original_dst\" is not supported by mesh-sidecar (envoy.filters.listener.tls_inspector only)", Assert.Single(errors));
    }
}

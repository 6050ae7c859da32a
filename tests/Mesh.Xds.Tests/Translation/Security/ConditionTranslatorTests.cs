using Envoy.Config.Rbac.V3;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class ConditionTranslatorTests
{
    private static ConditionTranslator.Terms Translate(string key, string values = "values", string value = "x")
    {
        var context = Context();
        var terms = ConditionTranslator.Translate([Condition($$"""{"key": "{{key}}", "{{values}}": ["{{value}}"]}""")], context);
        Assert.Empty(context.Problems);
        return terms;
    }

    private static Principal OnlyPrincipal(string key, string value = "x")
    {
        var terms = Translate(key, value: value);
        Assert.Empty(terms.Permissions);
        return Assert.Single(OrIds(Assert.Single(terms.Principals)));
    }

    private static Permission OnlyPermission(string key, string value)
    {
        var terms = Translate(key, value: value);
        Assert.Empty(terms.Principals);
        return Assert.Single(OrRules(Assert.Single(terms.Permissions)));
    }

    [Fact]
    public void A_request_header_condition_matches_that_header()
    {
        var header = OnlyPrincipal("request.headers[x-token]", "admin").Header;

        Assert.Equal(("x-token", ("exact", "admin")), (header.Name, Form(header.StringMatch)));
    }

    [Theory]
    [InlineData("source.ip", "10.0.0.0/8", Principal.IdentifierOneofCase.DirectRemoteIp)]
    [InlineData("remote.ip", "10.0.0.0/8", Principal.IdentifierOneofCase.RemoteIp)]
    [InlineData("source.namespace", "bar", Principal.IdentifierOneofCase.Authenticated)]
    [InlineData("source.principal", "cluster.local/ns/bar/sa/sleep", Principal.IdentifierOneofCase.Authenticated)]
    [InlineData("source.serviceAccount", "bar/sleep", Principal.IdentifierOneofCase.Authenticated)]
    [InlineData("request.auth.principal", "issuer/subject", Principal.IdentifierOneofCase.Metadata)]
    [InlineData("request.auth.presenter", "client", Principal.IdentifierOneofCase.Metadata)]
    public void Client_side_keys_become_principals(string key, string value, Principal.IdentifierOneofCase matched)
    {
        Assert.Equal(matched, OnlyPrincipal(key, value).IdentifierCase);
    }

    [Fact]
    public void Source_principal_and_namespace_match_the_peer_identity_like_their_source_fields()
    {
        Assert.Equal(
            ("exact", "spiffe://cluster.local/ns/bar/sa/sleep"),
            Form(OnlyPrincipal("source.principal", "cluster.local/ns/bar/sa/sleep").Authenticated.PrincipalName));
        Assert.Equal(("regex", ".*/ns/bar/.*"), Form(OnlyPrincipal("source.namespace", "bar").Authenticated.PrincipalName));
    }

    [Theory]
    [InlineData("request.auth.principal")]
    [InlineData("request.auth.presenter")]
    public void End_user_keys_read_istio_authn_metadata_under_the_same_key(string key)
    {
        var metadata = OnlyPrincipal(key, "value").Metadata;

        Assert.Equal("istio_authn", metadata.Filter);
        Assert.Equal([key], PathOf(metadata));
        Assert.Equal(("exact", "value"), Form(metadata.Value.StringMatch));
    }

    [Fact]
    public void An_audience_matches_the_aud_claim_written_as_a_string_or_as_a_list()
    {
        var terms = Translate("request.auth.audiences", value: "bookstore");

        var matchers = OrIds(Assert.Single(terms.Principals)).Select(p => p.Metadata).ToList();
        Assert.All(matchers, m => Assert.Equal(["request.auth.audiences"], PathOf(m)));
        Assert.Equal(("exact", "bookstore"), Form(matchers[0].Value.StringMatch));
        Assert.Equal(("exact", "bookstore"), Form(matchers[1].Value.ListMatch.OneOf.StringMatch));
    }

    [Theory]
    [InlineData("request.auth.claims[groups]", new[] { "request.auth.claims", "groups" })]
    [InlineData("request.auth.claims[realm][roles]", new[] { "request.auth.claims", "realm", "roles" })]
    public void A_claim_matches_when_its_list_contains_a_value(string key, string[] path)
    {
        var metadata = OnlyPrincipal(key, "admins").Metadata;

        Assert.Equal("istio_authn", metadata.Filter);
        Assert.Equal(path, PathOf(metadata));
        Assert.Equal(("exact", "admins"), Form(metadata.Value.ListMatch.OneOf.StringMatch));
    }

    [Fact]
    public void Destination_keys_become_permissions()
    {
        var ip = OnlyPermission("destination.ip", "10.1.2.3").DestinationIp;
        Assert.Equal(("10.1.2.3", 32u), (ip.AddressPrefix, ip.PrefixLen ?? 0));
        Assert.Equal(8080u, OnlyPermission("destination.port", "8080").DestinationPort);
        Assert.Equal(("suffix", ".example.com"), Form(OnlyPermission("connection.sni", "*.example.com").RequestedServerName));
    }

    [Fact]
    public void An_experimental_envoy_filter_key_reads_that_filter_metadata()
    {
        var metadata = OnlyPermission("experimental.envoy.filters.network.mysql_proxy[db.table]", "[update]").Metadata;

        Assert.Equal("envoy.filters.network.mysql_proxy", metadata.Filter);
        Assert.Equal(["db.table"], PathOf(metadata));
        Assert.Equal(("exact", "update"), Form(metadata.Value.ListMatch.OneOf.StringMatch));
    }

    [Fact]
    public void Not_values_are_negated_and_conditions_are_separate_terms_to_AND()
    {
        var context = Context();
        var terms = ConditionTranslator.Translate(
            [
                Condition("""{"key": "request.headers[x-user]", "values": ["alice", "bob"], "notValues": ["mallory"]}"""),
                Condition("""{"key": "destination.port", "notValues": ["15000"]}"""),
            ],
            context);

        Assert.Equal([Principal.IdentifierOneofCase.OrIds, Principal.IdentifierOneofCase.NotId], terms.Principals.Select(p => p.IdentifierCase));
        Assert.Equal(2, OrIds(terms.Principals[0]).Count);
        Assert.Equal(15000u, Assert.Single(OrRules(Assert.Single(terms.Permissions).NotRule)).DestinationPort);
    }

    [Theory]
    [InlineData("request.regex")]
    [InlineData("request.headers")]
    [InlineData("request.auth.claims[]")]
    public void An_unknown_key_is_reported_and_adds_no_term(string key)
    {
        var context = Context();

        var terms = ConditionTranslator.Translate([Condition($$"""{"key": "{{key}}", "values": ["x"]}""")], context);

        Assert.Empty(terms.Principals);
        Assert.Empty(terms.Permissions);
        Assert.Contains(key, Assert.Single(context.Problems));
    }
}

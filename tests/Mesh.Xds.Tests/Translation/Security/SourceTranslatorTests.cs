using Envoy.Config.Rbac.V3;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class SourceTranslatorTests
{
    private static Principal Only(string source, string trustDomain = TrustDomain)
    {
        var context = Context(trustDomain);
        var terms = SourceTranslator.Translate(Source(source), context).ToList();
        Assert.Empty(context.Problems);
        return Assert.Single(terms);
    }

    private static (string, string) PrincipalName(Principal principal)
    {
        Assert.Equal(Principal.IdentifierOneofCase.Authenticated, principal.IdentifierCase);
        return Form(principal.Authenticated.PrincipalName);
    }

    [Theory]
    [InlineData("cluster.local/ns/bar/sa/sleep", "exact", "spiffe://cluster.local/ns/bar/sa/sleep")]
    [InlineData("cluster.local/ns/bar/*", "prefix", "spiffe://cluster.local/ns/bar/")]
    [InlineData("*/sa/sleep", "suffix", "/sa/sleep")]
    [InlineData("*", "regex", ".+")]
    public void Principals_match_the_SPIFFE_URI_of_the_peer_certificate(string principal, string form, string text)
    {
        var term = Only($$"""{"principals": ["{{principal}}"]}""");

        Assert.Equal((form, text), PrincipalName(Assert.Single(OrIds(term))));
    }

    [Theory]
    [InlineData("cluster.local/ns/bar/sa/sleep", "spiffe://example.org/ns/bar/sa/sleep")]
    [InlineData("other.org/ns/bar/sa/sleep", "spiffe://other.org/ns/bar/sa/sleep")]
    public void The_cluster_local_trust_domain_stands_for_the_mesh_one_and_other_trust_domains_stay(string principal, string uri)
    {
        var term = Only($$"""{"principals": ["{{principal}}"]}""", trustDomain: "example.org");

        Assert.Equal(("exact", uri), PrincipalName(Assert.Single(OrIds(term))));
    }

    [Theory]
    [InlineData("bar", ".*/ns/bar/.*")]
    [InlineData("prod-*", ".*/ns/prod-.*/.*")]
    [InlineData("*", ".*/ns/.*/.*")]
    public void Namespaces_match_the_ns_segment_of_the_peer_identity(string ns, string regex)
    {
        var term = Only($$"""{"namespaces": ["{{ns}}"]}""");

        Assert.Equal(("regex", regex), PrincipalName(Assert.Single(OrIds(term))));
    }

    [Fact]
    public void Service_accounts_are_in_the_policy_namespace_unless_they_name_one()
    {
        var term = Only("""{"serviceAccounts": ["reader", "bar/writer"]}""");

        Assert.Equal(
            [("regex", "spiffe://[^/]+/ns/foo/sa/reader"), ("regex", "spiffe://[^/]+/ns/bar/sa/writer")],
            OrIds(term).Select(PrincipalName));
    }

    [Fact]
    public void Ip_blocks_match_the_direct_peer_and_a_bare_address_is_a_single_host()
    {
        var term = Only("""{"ipBlocks": ["10.0.0.0/16", "203.0.113.4", "2001:db8::1"]}""");

        Assert.Equal(
            [("10.0.0.0", 16u), ("203.0.113.4", 32u), ("2001:db8::1", 128u)],
            OrIds(term).Select(p => (p.DirectRemoteIp.AddressPrefix, p.DirectRemoteIp.PrefixLen ?? 0)));
    }

    [Fact]
    public void Remote_ip_blocks_match_the_original_client()
    {
        var term = Only("""{"remoteIpBlocks": ["192.168.1.0/24"]}""");

        var range = Assert.Single(OrIds(term)).RemoteIp;
        Assert.Equal(("192.168.1.0", 24u), (range.AddressPrefix, range.PrefixLen ?? 0));
    }

    [Fact]
    public void Request_principals_match_the_authenticated_end_user_in_istio_authn_metadata()
    {
        var term = Only("""{"requestPrincipals": ["https://issuer.example/*"]}""");

        var metadata = Assert.Single(OrIds(term)).Metadata;
        Assert.Equal("istio_authn", metadata.Filter);
        Assert.Equal(["request.auth.principal"], PathOf(metadata));
        Assert.Equal(("prefix", "https://issuer.example/"), Form(metadata.Value.StringMatch));
    }

    [Fact]
    public void A_not_field_is_the_negation_of_its_values_OR_d()
    {
        var term = Only("""{"notNamespaces": ["foo", "bar"]}""");

        Assert.Equal(Principal.IdentifierOneofCase.NotId, term.IdentifierCase);
        Assert.Equal([("regex", ".*/ns/foo/.*"), ("regex", ".*/ns/bar/.*")], OrIds(term.NotId).Select(PrincipalName));
    }

    [Fact]
    public void Each_field_and_its_not_form_is_one_more_term_to_AND()
    {
        var terms = SourceTranslator.Translate(
            Source("""{"principals": ["*"], "notPrincipals": ["cluster.local/ns/foo/sa/admin"], "ipBlocks": ["10.0.0.1"]}"""), Context());

        Assert.Equal(
            [Principal.IdentifierOneofCase.OrIds, Principal.IdentifierOneofCase.NotId, Principal.IdentifierOneofCase.OrIds],
            terms.Select(t => t.IdentifierCase));
    }

    [Fact]
    public void A_block_that_is_not_an_address_is_reported_and_drops_its_whole_field()
    {
        var context = Context();

        var terms = SourceTranslator.Translate(Source("""{"ipBlocks": ["10.0.0.1", "10.0.0.0/99"]}"""), context);

        Assert.Empty(terms);
        Assert.Contains("10.0.0.0/99", Assert.Single(context.Problems));
    }
}

using Envoy.Config.Rbac.V3;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class OperationTranslatorTests
{
    private static Permission Only(string operation)
    {
        var context = Context();
        var terms = OperationTranslator.Translate(Operation(operation), context).ToList();
        Assert.Empty(context.Problems);
        return Assert.Single(terms);
    }

    [Theory]
    [InlineData("example.com", "exact", "example.com", "(?i)example\\.com:[0-9]+")]
    [InlineData("*.example.com", "suffix", ".example.com", "(?i).*\\.example\\.com:[0-9]+")]
    public void Hosts_match_the_authority_case_insensitively_with_or_without_a_port(string host, string form, string text, string withPort)
    {
        var term = Only($$"""{"hosts": ["{{host}}"]}""");

        var headers = OrRules(term).Select(p => p.Header).ToList();
        Assert.All(headers, h => Assert.Equal(":authority", h.Name));
        Assert.Equal((form, text), Form(headers[0].StringMatch));
        Assert.True(headers[0].StringMatch.IgnoreCase);
        Assert.Equal(("regex", withPort), Form(headers[1].StringMatch));
    }

    [Fact]
    public void A_host_prefix_already_covers_the_port_and_a_lone_star_means_present()
    {
        var headers = OrRules(Only("""{"hosts": ["api.*", "*"]}""")).Select(p => p.Header).ToList();

        Assert.Equal(2, headers.Count);
        Assert.Equal(("prefix", "api."), Form(headers[0].StringMatch));
        Assert.True(headers[1].PresentMatch);
    }

    [Fact]
    public void Methods_match_the_method_pseudo_header_exactly()
    {
        var header = Assert.Single(OrRules(Only("""{"methods": ["GET"]}"""))).Header;

        Assert.Equal((":method", ("exact", "GET")), (header.Name, Form(header.StringMatch)));
    }

    [Theory]
    [InlineData("/data", "exact", "/data")]
    [InlineData("/data/*", "prefix", "/data/")]
    [InlineData("*.json", "suffix", ".json")]
    [InlineData("*", "regex", ".+")]
    public void Paths_match_the_path_without_query_string(string path, string form, string text)
    {
        var rule = Assert.Single(OrRules(Only($$"""{"paths": ["{{path}}"]}""")));

        Assert.Equal(Permission.RuleOneofCase.UrlPath, rule.RuleCase);
        Assert.Equal((form, text), Form(rule.UrlPath.Path));
    }

    [Fact]
    public void Ports_match_the_destination_port()
    {
        Assert.Equal([8080u, 9090u], OrRules(Only("""{"ports": ["8080", "9090"]}""")).Select(p => p.DestinationPort));
    }

    [Theory]
    [InlineData("notHosts", "admin.example.com", Permission.RuleOneofCase.Header)]
    [InlineData("notMethods", "DELETE", Permission.RuleOneofCase.Header)]
    [InlineData("notPaths", "/admin/*", Permission.RuleOneofCase.UrlPath)]
    [InlineData("notPorts", "15000", Permission.RuleOneofCase.DestinationPort)]
    public void Not_forms_are_the_negation_of_their_values(string field, string value, Permission.RuleOneofCase matched)
    {
        var term = Only($$"""{"{{field}}": ["{{value}}"]}""");

        Assert.Equal(Permission.RuleOneofCase.NotRule, term.RuleCase);
        Assert.All(OrRules(term.NotRule), rule => Assert.Equal(matched, rule.RuleCase));
    }

    [Fact]
    public void Path_templates_are_reported_as_not_supported()
    {
        var context = Context();

        var terms = OperationTranslator.Translate(Operation("""{"paths": ["/users/{*}/profile"], "methods": ["GET"]}"""), context).ToList();

        Assert.Single(terms);
        Assert.Contains("{*}", Assert.Single(context.Problems));
    }
}

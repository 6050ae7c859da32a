using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>jwt_authn configs mesh-sidecar cannot enforce as Envoy would: refused whole, naming the field.</summary>
public sealed class JwtCompileTests
{
    private const string Jwks = """{"keys": []}""";

    [Theory]
    [InlineData("unknown provider", "rules[0].requires.requires_any.requirements[0].provider_name")]
    [InlineData("subjects", "providers[\"origins-0\"].subjects")]
    [InlineData("require_expiration", "providers[\"origins-0\"].require_expiration")]
    [InlineData("max_lifetime", "providers[\"origins-0\"].max_lifetime")]
    [InlineData("failed_status_in_metadata", "providers[\"origins-0\"].failed_status_in_metadata")]
    [InlineData("jwks from a file", "providers[\"origins-0\"].local_jwks")]
    [InlineData("no jwks", "providers[\"origins-0\"]")]
    [InlineData("remote without fetcher", "providers[\"origins-0\"].remote_jwks")]
    [InlineData("remote without a URL", "providers[\"origins-0\"].remote_jwks.http_uri.uri")]
    [InlineData("query parameter match", "rules[0].match.query_parameters")]
    [InlineData("bad header match", "rules[0].match.headers[0].string_match.safe_regex.regex")]
    [InlineData("connect match", "rules[0].match")]
    [InlineData("one-element requires_any", "rules[0].requires.requires_any.requirements")]
    [InlineData("missing requirement name", "rules[0].requirement_name")]
    [InlineData("filter state rules", "filter_state_rules")]
    public void An_unsupported_or_invalid_field_refuses_the_config_and_names_its_path(string problem, string field)
    {
        var provider = Provider(Jwks);
        var config = Istio(provider);
        var rule = config.Rules[0];
        switch (problem)
        {
            case "unknown provider": rule.Requires.RequiresAny.Requirements[0].ProviderName = "origins-9"; break;
            case "subjects": provider.Subjects = new StringMatcher { Prefix = "spiffe://" }; break;
            case "require_expiration": provider.RequireExpiration = true; break;
            case "max_lifetime": provider.MaxLifetime = Duration.FromTimeSpan(TimeSpan.FromHours(1)); break;
            case "failed_status_in_metadata": provider.FailedStatusInMetadata = "jwt-failure"; break;
            case "jwks from a file": provider.LocalJwks = new DataSource { Filename = "/etc/jwks.json" }; break;
            case "no jwks": provider.ClearJwksSourceSpecifier(); break;
            case "remote without fetcher": provider.RemoteJwks = new RemoteJwks { HttpUri = new HttpUri { Uri = "https://issuer.example.com/jwks" } }; break;
            case "remote without a URL": provider.RemoteJwks = new RemoteJwks { HttpUri = new HttpUri { Uri = "jwks.json" } }; break;
            case "query parameter match": rule.Match.QueryParameters.Add(new QueryParameterMatcher { Name = "debug" }); break;
            case "bad header match": rule.Match.Headers.Add(new HeaderMatcher { Name = "x", StringMatch = new StringMatcher { SafeRegex = new RegexMatcher { Regex = "(?<=a)b" } } }); break;
            case "connect match": rule.Match.ConnectMatcher = new RouteMatch.Types.ConnectMatcher(); break;
            case "one-element requires_any": rule.Requires.RequiresAny.Requirements.RemoveAt(1); break;
            case "missing requirement name": rule.RequirementName = "strict"; break;
            case "filter state rules": config.FilterStateRules = new FilterStateRule { Name = "jwt_selector" }; break;
        }

        var error = Assert.Throws<JwtCompileException>(() => JwtAuthenticator.Compile(config, new JwtAuthenticatorOptions { FetchJwks = problem == "remote without fetcher" ? null : (_, _) => Task.FromResult(Jwks) }));

        Assert.Equal(field, error.FieldPath);
        Assert.StartsWith(field, error.Message);
    }

    [Fact]
    public void A_requirement_name_is_looked_up_in_the_requirement_map()
    {
        var config = Istio(Provider(Jwks));
        config.Rules[0].RequirementName = "strict";
        config.RequirementMap["strict"] = new JwtRequirement { ProviderName = "nobody" };

        var error = Assert.Throws<JwtCompileException>(() => JwtAuthenticator.Compile(config));

        Assert.Equal("requirement_map[\"strict\"].provider_name", error.FieldPath);
    }

    [Fact]
    public async Task A_config_without_rules_checks_nothing()
    {
        var config = new JwtAuthentication { Providers = { [ProviderName] = Provider(Jwks) } };

        var result = await JwtAuthenticator.Compile(config).Authenticate(Request("garbage"));

        Assert.True(result.Allowed);
    }
}

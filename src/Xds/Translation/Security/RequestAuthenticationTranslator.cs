using Mesh.Xds.Resources;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio RequestAuthentications → one Envoy jwt_authn HTTP filter. As in Istio, a request with an invalid
/// token is rejected and a request without one goes on: requiring a token is the AuthorizationPolicies' business
/// (<c>requestPrincipals</c>).</summary>
internal static class RequestAuthenticationTranslator
{
    /// <summary>One provider per JWT rule of every policy, named <c>origins-N</c> in key order, and a single requirement
    /// on every path: any one provider, or no token at all.</summary>
    public static JwtFilter Translate(IEnumerable<ConfigSpec> policies)
    {
        var warnings = new List<string>();
        var rules = policies
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => SecurityPolicy.Authentication(p).View.JwtRules)
            .ToList();
        if (rules.Count == 0) return new JwtFilter(null, warnings);

        var config = new JwtAuthentication { BypassCorsPreflight = true };
        var anyOf = new JwtRequirementOrList();
        for (var index = 0; index < rules.Count; index++)
        {
            var name = $"origins-{index}";
            config.Providers.Add(name, JwtProviderTranslator.Translate(rules[index], warnings));
            anyOf.Requirements.Add(new JwtRequirement { ProviderName = name });
        }
        anyOf.Requirements.Add(new JwtRequirement { AllowMissing = new Empty() });
        config.Rules.Add(new RequirementRule
        {
            Match = new RouteMatch { Prefix = "/" },
            Requires = new JwtRequirement { RequiresAny = anyOf },
        });
        return new JwtFilter(new HttpFilter { Name = EnvoyFilters.JwtAuthn, TypedConfig = Any.Pack(config) }, warnings);
    }
}

using System.Text.Json.Nodes;
using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Views.Security;
using Mesh.Grains.Services;
using Mesh.Xds.Translation.Security;

namespace Mesh.Xds.Tests.Translation.Security;

/// <summary>Security resources in namespace <c>foo</c> (and the root namespace), and readers for the matchers they
/// turn into.</summary>
internal static class SecuritySpecs
{
    public const string Namespace = "foo";
    public const string Root = Mesh.Config.Views.Security.WorkloadPolicyScope.DefaultRootNamespace;
    public const string TrustDomain = "cluster.local";

    public static ConfigSpec Authorization(string name, string spec, string ns = Namespace) => new($"AuthorizationPolicy/{ns}/{name}", ns, spec);

    public static ConfigSpec Authentication(string name, string spec, string ns = Namespace) => new($"RequestAuthentication/{ns}/{name}", ns, spec);

    public static ConfigSpec Peer(string name, string spec, string ns = Namespace) => new($"PeerAuthentication/{ns}/{name}", ns, spec);

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    public static RuleCondition Condition(string json) => RuleCondition.From(Json(json));

    public static RuleSource Source(string json) => RuleSource.From(Json(json));

    public static RuleOperation Operation(string json) => RuleOperation.From(Json(json));

    public static RuleContext Context(string trustDomain = TrustDomain) => new(Namespace, trustDomain);

    /// <summary>A string matcher as (form, text): exact, prefix, suffix or regex.</summary>
    public static (string Form, string Text) Form(StringMatcher matcher) => matcher.MatchPatternCase switch
    {
        StringMatcher.MatchPatternOneofCase.Exact => ("exact", matcher.Exact),
        StringMatcher.MatchPatternOneofCase.Prefix => ("prefix", matcher.Prefix),
        StringMatcher.MatchPatternOneofCase.Suffix => ("suffix", matcher.Suffix),
        StringMatcher.MatchPatternOneofCase.SafeRegex => ("regex", matcher.SafeRegex.Regex),
        var other => (other.ToString(), ""),
    };

    /// <summary>The members of an or_ids set.</summary>
    public static IReadOnlyList<Principal> OrIds(Principal principal)
    {
        Assert.Equal(Principal.IdentifierOneofCase.OrIds, principal.IdentifierCase);
        return principal.OrIds.Ids;
    }

    /// <summary>The members of an or_rules set.</summary>
    public static IReadOnlyList<Permission> OrRules(Permission permission)
    {
        Assert.Equal(Permission.RuleOneofCase.OrRules, permission.RuleCase);
        return permission.OrRules.Rules;
    }

    public static IReadOnlyList<string> PathOf(MetadataMatcher matcher) => matcher.Path.Select(p => p.Key).ToList();
}

using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Views.Security;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio <c>when</c> conditions → Envoy terms, each on the side Envoy can see it from: attributes of the
/// client and its credentials become principals, attributes of the destination become permissions.</summary>
internal static class ConditionTranslator
{
    private const string HeadersKey = "request.headers";
    private const string EnvoyFilterKey = "experimental.envoy.filters.";

    public sealed record Terms(IReadOnlyList<Principal> Principals, IReadOnlyList<Permission> Permissions);

    /// <summary>All conditions must hold. A condition whose key is unknown is reported and left out.</summary>
    public static Terms Translate(IEnumerable<RuleCondition> conditions, RuleContext context)
    {
        var principals = new List<Principal>();
        var permissions = new List<Permission>();
        foreach (var condition in conditions)
        {
            var (key, values, notValues) = (condition.Key, condition.Values, condition.NotValues);
            if (PrincipalOf(key, context) is { } principal) principals.AddRange(Rbac.Principals.Field(values, notValues, principal));
            else if (PermissionOf(key, context) is { } permission) permissions.AddRange(Rbac.Permissions.Field(values, notValues, permission));
            else context.Problems.Add($"condition key \"{key}\" is not supported");
        }
        return new Terms(principals, permissions);
    }

    private static Func<string, IReadOnlyList<Principal>>? PrincipalOf(string key, RuleContext context) => key switch
    {
        "source.ip" => v => SourceTranslator.DirectRemoteIp(v, context),
        "remote.ip" => v => SourceTranslator.RemoteIp(v, context),
        "source.namespace" => PeerIdentity.Namespace,
        "source.principal" => v => PeerIdentity.Principal(v, context),
        "source.serviceAccount" => v => PeerIdentity.ServiceAccount(v, context),
        AuthnMetadataKeys.RequestPrincipal or AuthnMetadataKeys.Presenter => v => AuthnMetadata.String(key, v),
        AuthnMetadataKeys.Audiences => AuthnMetadata.Audience,
        _ when Bracketed(key, HeadersKey) is [var header] => v => [new Principal { Header = WildcardMatch.Header(header, v) }],
        _ when Bracketed(key, AuthnMetadataKeys.Claims) is { Count: > 0 } claim => v => AuthnMetadata.Claim(claim, v),
        _ => null,
    };

    private static Func<string, IReadOnlyList<Permission>>? PermissionOf(string key, RuleContext context) => key switch
    {
        "destination.ip" => v => CidrRanges.Parse(v) is { } range
            ? [new Permission { DestinationIp = range }]
            : context.Unmapped<Permission>(SourceTranslator.NotCidr(v)),
        "destination.port" => v => OperationTranslator.Port(v, context),
        "connection.sni" => v => [new Permission { RequestedServerName = WildcardMatch.String(v) }],
        _ when EnvoyFilterField(key) is (var filter, var field) => v => [EnvoyMetadata(filter, field, v)],
        _ => null,
    };

    /// <summary><c>experimental.envoy.filters.a.b[c]</c> → (<c>envoy.filters.a.b</c>, <c>c</c>).</summary>
    private static (string Filter, string Field)? EnvoyFilterField(string key)
    {
        var open = key.IndexOf('[');
        if (!key.StartsWith(EnvoyFilterKey, StringComparison.Ordinal) || open < 0) return null;
        return Bracketed(key, key[..open]) is [var field] ? (key["experimental.".Length..open], field) : null;
    }

    /// <summary><c>experimental.envoy.filters.a.b[c]</c>: field <c>c</c> of filter <c>envoy.filters.a.b</c>'s dynamic
    /// metadata; a value written <c>[v]</c> matches a list containing v.</summary>
    private static Permission EnvoyMetadata(string filter, string field, string value)
    {
        var isList = value.Length >= 2 && value[0] == '[' && value[^1] == ']';
        var match = WildcardMatch.String(isList ? value[1..^1] : value);
        var matcher = new MetadataMatcher
        {
            Filter = filter,
            Value = isList
                ? new ValueMatcher { ListMatch = new ListMatcher { OneOf = new ValueMatcher { StringMatch = match } } }
                : new ValueMatcher { StringMatch = match },
        };
        matcher.Path.Add(new MetadataMatcher.Types.PathSegment { Key = field });
        return new Permission { Metadata = matcher };
    }

    /// <summary>The names in brackets after <paramref name="prefix"/>: <c>request.auth.claims[a][b]</c> → a, b. Null
    /// when the key is something else or its brackets are malformed.</summary>
    private static IReadOnlyList<string>? Bracketed(string key, string prefix)
    {
        if (!key.StartsWith(prefix + "[", StringComparison.Ordinal) || !key.EndsWith(']')) return null;
        var names = key[(prefix.Length + 1)..^1].Split("][");
        return names.Any(n => n.Length == 0 || n.Contains('[') || n.Contains(']')) ? null : names;
    }
}

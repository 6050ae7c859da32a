using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Security.Rbac;

/// <summary>Compiles an Envoy RBAC <c>Permission</c> (what is asked for) into a predicate over the request.</summary>
internal static class PermissionCompiler
{
    public static Func<RequestFacts, bool> Compile(Permission? permission, string field)
    {
        if (permission is null) throw new MatcherConfigException(field, "is required");
        switch (permission.RuleCase)
        {
            case Permission.RuleOneofCase.AndRules:
                var all = Set(permission.AndRules, $"{field}.and_rules");
                return request => all.All(rule => rule(request));
            case Permission.RuleOneofCase.OrRules:
                var any = Set(permission.OrRules, $"{field}.or_rules");
                return request => any.Any(rule => rule(request));
            case Permission.RuleOneofCase.Any:
                if (!permission.Any) throw new MatcherConfigException($"{field}.any", "must be true");
                return static _ => true;
            case Permission.RuleOneofCase.Header:
                var header = HeaderMatch.Compile(permission.Header, $"{field}.header");
                return request => header.Matches(request.Header(header.Name));
            case Permission.RuleOneofCase.UrlPath:
                var path = PrincipalCompiler.UrlPath(permission.UrlPath, $"{field}.url_path");
                return request => path.Matches(request.PathWithoutQuery());
            case Permission.RuleOneofCase.DestinationIp:
                var destination = IpRange.Compile(permission.DestinationIp, $"{field}.destination_ip");
                return request => destination.Contains(request.DestinationIp);
            case Permission.RuleOneofCase.DestinationPort:
                var port = permission.DestinationPort;
                if (port > 65535) throw new MatcherConfigException($"{field}.destination_port", $"{port} is not a port");
                return request => request.DestinationPort == port;
            case Permission.RuleOneofCase.DestinationPortRange:
                var (start, end) = (permission.DestinationPortRange.Start, permission.DestinationPortRange.End);
                return request => request.DestinationPort >= start && request.DestinationPort < end;
            case Permission.RuleOneofCase.Metadata:
                var metadata = MetadataMatch.Compile(permission.Metadata, $"{field}.metadata");
                return request => metadata.Matches(request.Metadata);
            case Permission.RuleOneofCase.NotRule:
                var inner = Compile(permission.NotRule, $"{field}.not_rule");
                return request => !inner(request);
            case Permission.RuleOneofCase.RequestedServerName:
                // Envoy compares against an empty name when the client sent no SNI.
                var server = StringMatch.Compile(permission.RequestedServerName, $"{field}.requested_server_name");
                return request => server.Matches(request.RequestedServerName ?? "");
            case Permission.RuleOneofCase.Matcher:
                throw new MatcherConfigException($"{field}.matcher", "matcher extensions are not supported");
            case Permission.RuleOneofCase.UriTemplate:
                throw new MatcherConfigException($"{field}.uri_template", "URI template matching is not supported");
            default:
                throw new MatcherConfigException(field, "rule is not set, or is a kind mesh-sidecar does not know");
        }
    }

    private static Func<RequestFacts, bool>[] Set(Permission.Types.Set set, string field)
    {
        if (set.Rules.Count == 0) throw new MatcherConfigException($"{field}.rules", "needs at least one permission");
        return set.Rules.Select((rule, i) => Compile(rule, $"{field}.rules[{i}]")).ToArray();
    }
}

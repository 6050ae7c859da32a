// source_ip is deprecated in Envoy but still valid config.
#pragma warning disable CS0612, CS0618
using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Security.Rbac;

/// <summary>Compiles an Envoy RBAC <c>Principal</c> (who is calling) into a predicate over the request.</summary>
internal static class PrincipalCompiler
{
    public static Func<RequestFacts, bool> Compile(Principal? principal, string field)
    {
        if (principal is null) throw new MatcherConfigException(field, "is required");
        switch (principal.IdentifierCase)
        {
            case Principal.IdentifierOneofCase.AndIds:
                var all = Set(principal.AndIds, $"{field}.and_ids");
                return request => all.All(id => id(request));
            case Principal.IdentifierOneofCase.OrIds:
                var any = Set(principal.OrIds, $"{field}.or_ids");
                return request => any.Any(id => id(request));
            case Principal.IdentifierOneofCase.Any:
                if (!principal.Any) throw new MatcherConfigException($"{field}.any", "must be true");
                return static _ => true;
            case Principal.IdentifierOneofCase.Authenticated:
                return Authenticated(principal.Authenticated, $"{field}.authenticated");
            case Principal.IdentifierOneofCase.SourceIp:
                // Deprecated alias of direct_remote_ip: the connection's peer.
                var source = IpRange.Compile(principal.SourceIp, $"{field}.source_ip");
                return request => source.Contains(request.DirectRemoteIp);
            case Principal.IdentifierOneofCase.DirectRemoteIp:
                var direct = IpRange.Compile(principal.DirectRemoteIp, $"{field}.direct_remote_ip");
                return request => direct.Contains(request.DirectRemoteIp);
            case Principal.IdentifierOneofCase.RemoteIp:
                var remote = IpRange.Compile(principal.RemoteIp, $"{field}.remote_ip");
                return request => remote.Contains(request.RemoteIp);
            case Principal.IdentifierOneofCase.Header:
                var header = HeaderMatch.Compile(principal.Header, $"{field}.header");
                return request => header.Matches(request.Header(header.Name));
            case Principal.IdentifierOneofCase.UrlPath:
                var path = UrlPath(principal.UrlPath, $"{field}.url_path");
                return request => path.Matches(request.PathWithoutQuery());
            case Principal.IdentifierOneofCase.Metadata:
                var metadata = MetadataMatch.Compile(principal.Metadata, $"{field}.metadata");
                return request => metadata.Matches(request.Metadata);
            case Principal.IdentifierOneofCase.FilterState:
                // mesh-sidecar keeps no filter state; Envoy's matcher is false when the key is absent, so it never
                // matches here (and a not_id around it always does).
                if (principal.FilterState.Key.Length == 0) throw new MatcherConfigException($"{field}.filter_state.key", "must not be empty");
                _ = StringMatch.Compile(principal.FilterState.StringMatch, $"{field}.filter_state.string_match");
                return static _ => false;
            case Principal.IdentifierOneofCase.NotId:
                var inner = Compile(principal.NotId, $"{field}.not_id");
                return request => !inner(request);
            default:
                throw new MatcherConfigException(field, "identifier is not set, or is a kind mesh-sidecar does not know");
        }
    }

    /// <summary>Envoy's url_path: a StringMatcher on the path without its query string.</summary>
    public static StringMatch UrlPath(Envoy.Type.Matcher.V3.PathMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        if (matcher.RuleCase != Envoy.Type.Matcher.V3.PathMatcher.RuleOneofCase.Path) throw new MatcherConfigException($"{field}.path", "is required");
        return StringMatch.Compile(matcher.Path, $"{field}.path");
    }

    /// <summary>The peer principal of an mTLS connection. Without a principal_name any authenticated peer matches;
    /// a plain-text connection never does.</summary>
    private static Func<RequestFacts, bool> Authenticated(Principal.Types.Authenticated authenticated, string field)
    {
        if (authenticated.PrincipalName is null) return static request => request.PeerPrincipal is not null;
        var name = StringMatch.Compile(authenticated.PrincipalName, $"{field}.principal_name");
        return request => request.PeerPrincipal is { } peer && name.Matches(peer);
    }

    private static Func<RequestFacts, bool>[] Set(Principal.Types.Set set, string field)
    {
        if (set.Ids.Count == 0) throw new MatcherConfigException($"{field}.ids", "needs at least one principal");
        return set.Ids.Select((id, i) => Compile(id, $"{field}.ids[{i}]")).ToArray();
    }
}

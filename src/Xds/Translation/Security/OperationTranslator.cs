using System.Globalization;
using Envoy.Config.Rbac.V3;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Views.Security;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio <c>Operation</c> (what the request does) → the Envoy permissions its fields require, all of which
/// must match. A field left out is no constraint.</summary>
internal static class OperationTranslator
{
    public const string AuthorityHeader = ":authority";
    public const string MethodHeader = ":method";

    public static IEnumerable<Permission> Translate(RuleOperation operation, RuleContext context)
    {
        var rules = Rbac.Permissions;
        return
        [
            .. rules.Field(operation.Hosts, operation.NotHosts, Host),
            .. rules.Field(operation.Ports, operation.NotPorts, v => Port(v, context)),
            .. rules.Field(operation.Methods, operation.NotMethods, Method),
            .. rules.Field(operation.Paths, operation.NotPaths, v => Path(v, context)),
        ];
    }

    /// <summary>The host, case-insensitive, with or without a port: a client may send <c>Host: example.com:80</c>, and
    /// a DENY on <c>example.com</c> must not be sidestepped that way. (Istio compares the Host header as sent, so there a
    /// policy lists <c>example.com:*</c> too; in Mesh that entry is harmless.)</summary>
    public static IReadOnlyList<Permission> Host(string host)
    {
        var plain = Header(WildcardMatch.Header(AuthorityHeader, host, ignoreCase: true));
        if (host == "*" || host.EndsWith('*')) return [plain];
        var name = host.StartsWith('*') ? ".*" + WildcardMatch.Quote(host[1..]) : WildcardMatch.Quote(host);
        var withPort = new HeaderMatcher
        {
            Name = AuthorityHeader,
            StringMatch = WildcardMatch.Regex($"(?i){name}:[0-9]+"),
        };
        return [plain, Header(withPort)];
    }

    public static IReadOnlyList<Permission> Method(string method) => [Header(WildcardMatch.Header(MethodHeader, method))];

    /// <summary>The path without its query string. Istio's path templates (<c>{*}</c>, <c>{**}</c>) are not supported.</summary>
    public static IReadOnlyList<Permission> Path(string path, RuleContext context)
    {
        if (path.Contains("{*}") || path.Contains("{**}"))
        {
            return context.Unmapped<Permission>($"path template \"{path}\" is not supported");
        }
        return [new Permission { UrlPath = new PathMatcher { Path = WildcardMatch.String(path) } }];
    }

    /// <summary><c>ports</c> and <c>destination.port</c>: the port the request arrived on.</summary>
    public static IReadOnlyList<Permission> Port(string port, RuleContext context)
        => uint.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
            ? [new Permission { DestinationPort = number }]
            : context.Unmapped<Permission>($"\"{port}\" is not a port number");

    private static Permission Header(HeaderMatcher header) => new() { Header = header };
}

using EnvoyRoute = Envoy.Config.Route.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a route's <c>redirect</c> action. Every part goes into a Location header this proxy writes, so
/// each is checked as header text.</summary>
internal static class RedirectCompiler
{
    public static RedirectAction? Compile(EnvoyRoute.RedirectAction redirect, string where, List<string> errors)
    {
        var status = redirect.ResponseCode switch
        {
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.MovedPermanently => 301,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.Found => 302,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.SeeOther => 303,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.TemporaryRedirect => 307,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.PermanentRedirect => 308,
            _ => 301,
        };
        if (redirect.PathRewriteSpecifierCase == EnvoyRoute.RedirectAction.PathRewriteSpecifierOneofCase.RegexRewrite)
        {
            return errors.Fail<RedirectAction>($"{where}.regex_rewrite: not supported in redirects (use path_redirect or prefix_rewrite)");
        }
        var before = errors.Count;
        HeaderEditsCompiler.Text(redirect.HostRedirect, $"{where}.host_redirect", errors);
        HeaderEditsCompiler.Text(redirect.PathRedirect, $"{where}.path_redirect", errors);
        HeaderEditsCompiler.Text(redirect.PrefixRewrite, $"{where}.prefix_rewrite", errors);
        HeaderEditsCompiler.Text(redirect.SchemeRedirect, $"{where}.scheme_redirect", errors);
        if (errors.Count > before) return null;
        var scheme = redirect.SchemeRewriteSpecifierCase switch
        {
            EnvoyRoute.RedirectAction.SchemeRewriteSpecifierOneofCase.HttpsRedirect when redirect.HttpsRedirect => "https",
            EnvoyRoute.RedirectAction.SchemeRewriteSpecifierOneofCase.SchemeRedirect => redirect.SchemeRedirect,
            _ => null,
        };
        return new RedirectAction(scheme, redirect.HostRedirect is { Length: > 0 } host ? host : null,
            redirect.PortRedirect > 0 ? (int)redirect.PortRedirect : null,
            redirect.PathRedirect is { Length: > 0 } path ? path : null,
            redirect.PrefixRewrite is { Length: > 0 } prefix ? prefix : null,
            status, redirect.StripQuery);
    }
}

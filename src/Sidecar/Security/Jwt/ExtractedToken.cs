using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Where a token location is: a header (optionally after a value prefix), a query parameter or a cookie.</summary>
internal enum TokenPlace { Header, Param, Cookie }

/// <summary>A token found in a request, with where it was and which issuers may use that place.</summary>
internal sealed record ExtractedToken(string Token, TokenPlace Place, string Name, IssuerChecker Issuers)
{
    /// <summary>Takes the token out of the request (a provider with <c>forward: false</c>): the whole header, or the
    /// query parameter. A cookie stays, as in Envoy.</summary>
    public void RemoveFrom(HttpRequest request)
    {
        if (Place == TokenPlace.Header) request.Headers.Remove(Name);
        else if (Place == TokenPlace.Param) request.QueryString = WithoutParam(request.QueryString, Name);
    }

    private static QueryString WithoutParam(QueryString query, string name)
    {
        if (!query.HasValue) return query;
        var kept = new StringBuilder();
        foreach (var pair in query.Value![1..].Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            if (key == name) continue;
            kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
        }
        return kept.Length == 0 ? QueryString.Empty : new QueryString(kept.ToString());
    }
}

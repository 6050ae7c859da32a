using Mesh.Kubernetes.Fake.Authentication;
using Mesh.Kubernetes.Fake.Errors;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>The two create-only endpoints of service-account tokens, which store nothing and so sit beside the resource
/// routes: <c>POST /api/v1/namespaces/NS/serviceaccounts/SA/token</c> (TokenRequest) and
/// <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c> (TokenReview), both answering 201 as the real server does.</summary>
internal sealed class TokenEndpoints(ServiceAccountTokens tokens, RequestCounts counts)
{
    public async Task<bool> TryHandle(HttpContext context, string[] segments)
    {
        switch (segments)
        {
            case ["api", "v1", "namespaces", var ns, "serviceaccounts", var account, "token"]:
                Post(context, "serviceaccounts/token");
                await JsonExchange.Write(context.Response, 201, tokens.Request(ns, account, await JsonExchange.ReadObject(context.Request)));
                return true;
            case ["apis", "authentication.k8s.io", "v1", "tokenreviews"]:
                Post(context, "tokenreviews.authentication.k8s.io");
                await JsonExchange.Write(context.Response, 201, tokens.Review(await JsonExchange.ReadObject(context.Request)));
                return true;
            default:
                return false;
        }
    }

    private void Post(HttpContext context, string resource)
    {
        if (context.Request.Method != "POST")
        {
            throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method.ToLowerInvariant()} {resource})");
        }
        counts.Record("create", resource);
    }
}

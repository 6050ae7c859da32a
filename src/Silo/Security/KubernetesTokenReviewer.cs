using k8s;
using k8s.Models;
using Mesh.Grains.Security;
using Mesh.Xds.Security;

namespace Mesh.Silo.Security;

/// <summary>Checks a projected service-account token with the Kubernetes API (TokenReview), as istiod does: the
/// token must be valid for the audience <c>istio-ca</c> and name a service account,
/// <c>system:serviceaccount:NS:SA</c>. Registered whenever the silo has a Kubernetes API server.</summary>
public sealed partial class KubernetesTokenReviewer(IKubernetes kubernetes, ILogger<KubernetesTokenReviewer> logger) : IServiceAccountTokenReviewer
{
    /// <summary>The audience Istio's sidecars request their projected tokens for.</summary>
    public const string Audience = Mesh.Kubernetes.Injection.InjectionNames.TokenAudience;

    public async Task<(string Namespace, string ServiceAccount)?> Review(string token, CancellationToken cancellationToken)
    {
        try
        {
            var review = await kubernetes.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [Audience] } }, cancellationToken: cancellationToken);
            return Entitled(review.Status);
        }
        catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            LogReviewFailed(logger, exception.Message);
            return null;
        }
    }

    /// <summary>The service account a TokenReview status authenticates, or null (not authenticated, another
    /// audience, or a user that is not a service account).</summary>
    public static (string Namespace, string ServiceAccount)? Entitled(V1TokenReviewStatus? status)
    {
        if (status is not { Authenticated: true } || (status.Audiences is { Count: > 0 } audiences && !audiences.Contains(Audience))) return null;
        return BootstrapToken.TryParseSubject(status.User?.Username, out var @namespace, out var account) ? (@namespace, account) : null;
    }

    [LoggerMessage(EventId = 1340, Level = LogLevel.Warning, Message = "TokenReview failed: {Error}")]
    private static partial void LogReviewFailed(ILogger logger, string error);
}

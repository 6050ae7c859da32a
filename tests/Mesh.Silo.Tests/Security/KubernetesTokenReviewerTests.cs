using k8s.Models;
using Mesh.Silo.Security;

namespace Mesh.Silo.Tests.Security;

public class KubernetesTokenReviewerTests
{
    private static V1TokenReviewStatus Status(bool authenticated, string user, params string[] audiences) =>
        new() { Authenticated = authenticated, User = new V1UserInfo { Username = user }, Audiences = audiences };

    [Fact]
    public void An_authenticated_service_account_token_for_istio_ca_entitles_that_account()
        => Assert.Equal(("bookinfo", "reviews"), KubernetesTokenReviewer.Entitled(Status(true, "system:serviceaccount:bookinfo:reviews", "istio-ca")));

    [Theory]
    [InlineData(false, "system:serviceaccount:bookinfo:reviews", "istio-ca")]
    [InlineData(true, "system:serviceaccount:bookinfo:reviews", "https://kubernetes.default.svc")]
    [InlineData(true, "alice@example.com", "istio-ca")]
    [InlineData(true, "system:node:worker-1", "istio-ca")]
    public void Anything_else_entitles_nothing(bool authenticated, string user, string audience)
        => Assert.Null(KubernetesTokenReviewer.Entitled(Status(authenticated, user, audience)));

    [Fact]
    public void No_status_entitles_nothing() => Assert.Null(KubernetesTokenReviewer.Entitled(null));
}

using Mesh.Api.V1;
using Mesh.Config.Kinds;
using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class KubernetesOwnershipTests
{
    [Fact]
    public void Apply_ThatSetsTheSourceAnnotation_IsRefusedWithItsFieldPath()
    {
        var review = ManifestReview.Read(new ApplyRequest
        {
            Manifest = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo, annotations: {mesh.io/source: kubernetes}}
                spec: {host: reviews}
                """,
        });

        Assert.NotNull(review.Failure);
        Assert.Contains("metadata.annotations[mesh.io/source]", review.Failure.Status.Detail);
        Assert.Contains("only by Mesh's Kubernetes source", review.Documents[0].Error);
    }

    [Fact]
    public void Apply_WithOtherAnnotations_IsNotRefused()
    {
        var review = ManifestReview.Read(new ApplyRequest
        {
            Manifest = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo, annotations: {team: a}}
                spec: {host: reviews}
                """,
        });

        Assert.Null(review.Failure);
    }

    [Fact]
    public void Refusal_NamesTheResourceAndTheKubectlCommand()
    {
        var change = KubernetesOwnership.Refusal(ResourceKinds.VirtualService, "bookinfo", "reviews", delete: false);
        Assert.Contains("VirtualService bookinfo/reviews", change);
        Assert.Contains("kubectl edit virtualservice reviews -n bookinfo", change);
        Assert.Contains("nothing changed", change);
        Assert.Contains("kubectl delete virtualservice reviews -n bookinfo", KubernetesOwnership.Refusal(ResourceKinds.VirtualService, "bookinfo", "reviews", delete: true));
    }
}

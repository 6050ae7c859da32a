using Mesh.Api.V1;
using Mesh.Silo.Access;
using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class ManifestReviewTests
{
    private const string Manifest = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: team-a}
        spec: {host: reviews}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec: {host: ratings}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: details, namespace: team-b}
        spec: {host: details}
        """;

    [Fact]
    public void Read_DocumentsInSeveralNamespaces_NamesEachOnceWithTheDefaultForUnnamed()
    {
        var review = ManifestReview.Read(new ApplyRequest { Manifest = Manifest, Namespace = "team-c" });

        Assert.Null(review.Failure);
        Assert.Equal(["team-a", "team-c", "team-b"], review.Namespaces);
        Assert.Equal([("DestinationRule", "team-a", "reviews"), ("DestinationRule", "team-c", "ratings"), ("DestinationRule", "team-b", "details")],
            review.Documents.Select(d => (d.Kind, d.Namespace, d.Name)));
    }

    [Fact]
    public void EditorOfOneNamespace_ManifestTouchingAnother_DeniedForThatOne()
    {
        var editor = new ApiUser("bob", ApiRole.Editor, ["team-a", "team-c"]);
        var review = ManifestReview.Read(new ApplyRequest { Manifest = Manifest, Namespace = "team-c" });

        var denial = WriteAccess.Check(editor, "apply", review.Namespaces);

        Assert.Equal(["team-b"], denial?.Namespaces);
        Assert.Equal("user bob (editor of team-a, team-c) may not apply to namespace team-b: ask an admin for editor access to team-b", denial?.Message);
    }

    [Fact]
    public void Read_InvalidDocument_TargetIsWhatItNames()
    {
        var review = ManifestReview.Read(new ApplyRequest { Manifest = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: prod}
            spec: {hots: reviews}
            """ });

        Assert.NotNull(review.Failure);
        var document = Assert.Single(review.Documents);
        Assert.Equal(("DestinationRule", "prod", "reviews"), (document.Kind, document.Namespace, document.Name));
        Assert.Contains("hots", document.Error);
        Assert.Equal(["prod"], review.Namespaces);
    }

    [Fact]
    public void Read_UnreadableDocument_TargetsTheRequestNamespace()
    {
        var review = ManifestReview.Read(new ApplyRequest { Manifest = "kind: [", Namespace = "shop" });

        Assert.NotNull(review.Failure);
        Assert.Equal(["shop"], review.Namespaces);
    }

    [Fact]
    public void Read_NoDocuments_TargetsTheRequestNamespace()
    {
        var review = ManifestReview.Read(new ApplyRequest { Manifest = "# nothing\n", Namespace = "shop" });

        Assert.Empty(review.Documents);
        Assert.Equal(["shop"], review.Namespaces);
        Assert.Contains("holds no documents", review.Failure?.Status.Detail);
    }

    [Fact]
    public void Read_DuplicateDocuments_BothMarkedInvalid()
    {
        var one = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec: {host: reviews}\n";

        var review = ManifestReview.Read(new ApplyRequest { Manifest = one + "---\n" + one });

        Assert.NotNull(review.Failure);
        Assert.All(review.Documents, d => Assert.Contains("appears more than once", d.Error));
    }
}

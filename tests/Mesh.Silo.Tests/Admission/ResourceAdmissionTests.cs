using System.Text;
using System.Text.Json.Nodes;
using Mesh.Silo.Admission;

namespace Mesh.Silo.Tests.Admission;

public sealed class ResourceAdmissionTests
{
    private const string BadVirtualService = """
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
         "metadata": {"name": "reviews", "namespace": "bookinfo", "uid": "u1", "generation": 1, "deletionTimestamp": "2026-01-01T00:00:00Z"},
         "spec": {"hosts": ["reviews"], "htp": [], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 90}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 20}]}]}}
        """;

    [Fact]
    public void Validate_MeshKind_Invalid_IsDeniedWithEveryFieldPath()
    {
        var reply = ResourceAdmission.Review(Review("UPDATE", BadVirtualService));
        var response = reply["response"]!;
        Assert.Equal(("u-1", false, 422), (response["uid"]!.GetValue<string>(), response["allowed"]!.GetValue<bool>(), response["status"]!["code"]!.GetValue<int>()));
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.StartsWith("VirtualService bookinfo/reviews: ", message);
        Assert.Contains("spec.htp:", message);
        Assert.Contains("spec.http[0].route: weights sum to 110, must be 100", message);
        Assert.DoesNotContain("deletionTimestamp", message); // set by the API server, not the user
    }

    [Theory]
    [InlineData("CREATE", """{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {}}""")] // not Mesh's
    [InlineData("DELETE", BadVirtualService)]
    [InlineData("CREATE", """{"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "reviews", "namespace": "bookinfo"}, "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}}""")]
    public void Validate_OtherKindsDeletionsAndValidResources_AreAllowed(string operation, string obj) =>
        Assert.True(ResourceAdmission.Review(Review(operation, obj))["response"]!["allowed"]!.GetValue<bool>());

    [Theory]
    [InlineData("""[]""", "the body is not a JSON object")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "a"}}""", "expected apiVersion admission.k8s.io/v1")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}""", "request: required")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {}}""", "request.uid: required")]
    public void Read_NotAnAdmissionReview_SaysWhy(string body, string error) =>
        Assert.StartsWith(error, Assert.Throws<FormatException>(() => AdmissionReviewMessage.Read(JsonNode.Parse(body))).Message);

    [Fact]
    public void Patch_IsBase64JsonPatch_WithTheRequestsUid()
    {
        var review = Review("CREATE", """{"kind": "Pod"}""");
        var response = review.Patch(new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/a", ["value"] = 1 }), ["careful"])["response"]!;
        Assert.Equal(("u-1", "JSONPatch"), (response["uid"]!.GetValue<string>(), response["patchType"]!.GetValue<string>()));
        Assert.Equal("""[{"op":"add","path":"/a","value":1}]""", Encoding.UTF8.GetString(Convert.FromBase64String(response["patch"]!.GetValue<string>())));
        Assert.Equal("careful", response["warnings"]![0]!.GetValue<string>());
    }

    private static AdmissionReviewMessage Review(string operation, string obj) => AdmissionReviewMessage.Read(JsonNode.Parse($$$"""
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "u-1", "operation": "{{{operation}}}", "namespace": "bookinfo", "kind": {"group": "", "version": "v1", "kind": "X"}, "object": {{{obj}}}}}
        """));
}

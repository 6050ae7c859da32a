using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Kubernetes.Fake.Tests.Infrastructure;

namespace Mesh.Kubernetes.Fake.Tests.Storage;

/// <summary>The write rules clients rely on: optimistic concurrency, AlreadyExists, generation, the status
/// subresource, and errors as metav1.Status.</summary>
public sealed class WriteTests : IAsyncLifetime
{
    private const string Group = "networking.istio.io";
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start();
        _client = Clients.For(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task UpdateWithStaleResourceVersion_Is409Conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        var fresh = await _client.CoreV1.ReadNamespacedServiceAsync("reviews", "default");
        fresh.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        await _client.CoreV1.ReplaceNamespacedServiceAsync(fresh, "reviews", "default");

        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "2" };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedServiceAsync(created, "reviews", "default"));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        var status = Status(error);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Contains("the object has been modified", status["message"]!.GetValue<string>());
        Assert.Equal("1", (await _client.CoreV1.ReadNamespacedServiceAsync("reviews", "default")).Metadata.Labels["a"]);
    }

    [Fact]
    public async Task CreateTwice_Is409AlreadyExistsWithDetails()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default"));
        var status = Status(error);
        Assert.Equal((409, "AlreadyExists"), (status["code"]!.GetValue<int>(), status["reason"]!.GetValue<string>()));
        Assert.Equal("reviews", status["details"]!["name"]!.GetValue<string>());
        Assert.Equal("services", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadMissing_Is404NotFoundStatus()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedServiceAsync("nope", "default"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal("services \"nope\" not found", Status(error)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomResource_StatusOnlyThroughItsSubresource_GenerationOnlyOnSpec()
    {
        var created = await Custom(_client.CustomObjects.CreateNamespacedCustomObjectAsync(VirtualService("v1", status: "forged"), Group, "v1", "default", "virtualservices"));
        Assert.Null(created["status"]); // status is the controller's, not the creator's
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());

        var relabelled = VirtualService("v1", status: "forged");
        relabelled["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
        var afterLabel = await Custom(_client.CustomObjects.ReplaceNamespacedCustomObjectAsync(relabelled, Group, "v1", "default", "virtualservices", "reviews"));
        Assert.Equal(1, afterLabel["metadata"]!["generation"]!.GetValue<long>());
        Assert.Null(afterLabel["status"]);

        var statusPatch = new V1Patch("""{"status":{"observedGeneration":1}}""", V1Patch.PatchType.MergePatch);
        var afterStatus = await Custom(_client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, Group, "v1", "default", "virtualservices", "reviews"));
        Assert.Equal(1, afterStatus["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal(1, afterStatus["metadata"]!["generation"]!.GetValue<long>());

        var specPatch = new V1Patch("""{"spec":{"hosts":["reviews","ratings"]},"status":{"observedGeneration":7}}""", V1Patch.PatchType.MergePatch);
        var afterSpec = await Custom(_client.CustomObjects.PatchNamespacedCustomObjectAsync(specPatch, Group, "v1", "default", "virtualservices", "reviews"));
        Assert.Equal(2, afterSpec["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(1, afterSpec["status"]!["observedGeneration"]!.GetValue<long>()); // the main resource ignores status
    }

    [Fact]
    public async Task StrategicMergePatchOfACustomResource_Is415()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(VirtualService("v1"), Group, "v1", "default", "virtualservices");
        var patch = new V1Patch("""{"spec":{"hosts":["x"]}}""", V1Patch.PatchType.StrategicMergePatch);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, "v1", "default", "virtualservices", "reviews"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, error.Response.StatusCode);
    }

    [Fact]
    public async Task ListByFieldAndLabelSelector_ReturnsOnlyMatches_AndABadSelectorIs400()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews", new Dictionary<string, string> { ["app"] = "reviews" }), "default");
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings", new Dictionary<string, string> { ["app"] = "ratings" }), "default");
        var byName = await _client.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: "metadata.name=ratings");
        Assert.Equal("ratings", Assert.Single(byName.Items).Metadata.Name);
        var byLabel = await _client.CoreV1.ListNamespacedServiceAsync("default", labelSelector: "app notin (ratings),app");
        Assert.Equal("reviews", Assert.Single(byLabel.Items).Metadata.Name);
        var paged = await _client.CoreV1.ListNamespacedServiceAsync("default", limit: 1);
        Assert.Equal("ratings", Assert.Single(paged.Items).Metadata.Name);
        var rest = await _client.CoreV1.ListNamespacedServiceAsync("default", limit: 1, continueParameter: paged.Metadata.ContinueProperty);
        Assert.Equal("reviews", Assert.Single(rest.Items).Metadata.Name);
        Assert.Null(rest.Metadata.ContinueProperty);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedServiceAsync("default", labelSelector: "app in ()"));
        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
    }

    [Fact]
    public async Task DeletingANamespace_DeletesWhatIsInIt()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bookinfo" } });
        var service = Clients.Service("reviews");
        service.Metadata.NamespaceProperty = "bookinfo";
        await _client.CoreV1.CreateNamespacedServiceAsync(service, "bookinfo");
        await _client.CoreV1.DeleteNamespaceAsync("bookinfo");
        Assert.Empty((await _client.CoreV1.ListServiceForAllNamespacesAsync()).Items);
    }

    private static JsonObject VirtualService(string subset, string? status = null)
    {
        var vs = JsonNode.Parse($$$"""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews","namespace":"default"},
             "spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews","subset":"{{{subset}}}"}}]}]}}
            """)!.AsObject();
        if (status is not null) vs["status"] = new JsonObject { ["note"] = status };
        return vs;
    }

    private static async Task<JsonObject> Custom(Task<object> call) => JsonSerializer.SerializeToNode(await call)!.AsObject();

    private static JsonObject Status(HttpOperationException error) => JsonNode.Parse(error.Response.Content)!.AsObject();
}

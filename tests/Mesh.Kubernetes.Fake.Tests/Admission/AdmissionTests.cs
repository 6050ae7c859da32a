using Mesh.Kubernetes.Fake.Tests.Infrastructure;

namespace Mesh.Kubernetes.Fake.Tests.Admission;

/// <summary>Webhooks registered with kubectl are called as the API server calls them, and kubectl shows their verdicts.</summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: default
          labels: {app: reviews}
        spec:
          ports: [{port: 9080}]
        """;

    private FakeApiServer _server = null!;
    private TestWebhook _webhook = null!;
    private Fake.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start();
        _webhook = await TestWebhook.Start();
        _kubectl = new Fake.Kubectl(_server.Url);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _webhook.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ValidatingWebhook_Denies_AndKubectlShowsItsMessage()
    {
        (await _kubectl.Apply(_webhook.Configuration("ValidatingWebhookConfiguration", "/validate"))).Succeeded();
        var denied = await _kubectl.Apply(Service.Replace("app: reviews", "app: reviews, deny: \"yes\""));
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("admission webhook \"validate.mesh.test\" denied the request: spec.hosts[0]: the label deny is set", denied.Error);
        Assert.Equal(1, _server.Requests["create", "services"]); // asked once, and nothing was stored:
        Assert.NotEqual(0, (await _kubectl.Run("", "get", "service", "reviews")).ExitCode);

        (await _kubectl.Apply(Service)).Succeeded();
        var request = _webhook.Received.Last();
        Assert.Equal(("CREATE", "Service", "services", "default", "reviews"), (request.Operation, request.Kind.Kind, request.Resource.Resource, request.Namespace, request.Name));
        Assert.Null(request.OldObject);
    }

    [Fact]
    public async Task MutatingWebhook_PatchIsApplied_OnCreateAndUpdate()
    {
        (await _kubectl.Apply(_webhook.Configuration("MutatingWebhookConfiguration", "/mutate"))).Succeeded();
        (await _kubectl.Apply(Service)).Succeeded();
        Assert.Contains("injected: \"yes\"", (await _kubectl.Run("", "get", "service", "reviews", "-o", "yaml")).Succeeded().Output);

        (await _kubectl.Apply(Service.Replace("port: 9080", "port: 9081"))).Succeeded();
        var update = _webhook.Received.Last();
        Assert.Equal("UPDATE", update.Operation);
        Assert.Equal("yes", update.OldObject?["metadata"]?["labels"]?["injected"]?.GetValue<string>());
    }

    [Fact]
    public async Task NamespaceSelector_LimitsTheWebhookToLabelledNamespaces()
    {
        (await _kubectl.Apply(_webhook.Configuration("MutatingWebhookConfiguration", "/mutate", "{matchLabels: {istio-injection: enabled}}"))).Succeeded();
        (await _kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: bookinfo}\n")).Succeeded();
        (await _kubectl.Run("", "label", "namespace", "bookinfo", "istio-injection=enabled")).Succeeded();

        (await _kubectl.Apply(Service)).Succeeded();
        (await _kubectl.Apply(Service.Replace("namespace: default", "namespace: bookinfo"))).Succeeded();
        Assert.DoesNotContain("injected", (await _kubectl.Run("", "get", "service", "reviews", "-o", "yaml")).Succeeded().Output);
        Assert.Contains("injected: \"yes\"", (await _kubectl.Run("", "get", "service", "reviews", "-n", "bookinfo", "-o", "yaml")).Succeeded().Output);
        Assert.Equal("bookinfo", Assert.Single(_webhook.Received).Namespace);
    }

    [Fact]
    public async Task WebhookAnsweringAnotherUid_FailsTheRequestClosed()
    {
        (await _kubectl.Apply(_webhook.Configuration("ValidatingWebhookConfiguration", "/wrong-uid"))).Succeeded();
        var result = await _kubectl.Apply(Service);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("failed calling webhook \"wrong-uid.mesh.test\"", result.Error);
        Assert.Contains("expected response.uid", result.Error);
    }
}

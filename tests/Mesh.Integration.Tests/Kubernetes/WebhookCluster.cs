using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>A fake API server whose webhook Service <c>mesh-system/mesh-webhook</c> is a silo's webhook port, the silo
/// (with what <see cref="SiloOptions"/> adds), and the webhook configurations applied with an empty caBundle; ready once
/// the silo has filled both caBundles.</summary>
public abstract class WebhookCluster(string name) : IAsyncLifetime
{
    private const string Injector = "mutatingwebhookconfiguration/mesh-sidecar-injector";
    private const string Validator = "validatingwebhookconfiguration/mesh-validator";

    private readonly WorkDir _dir = new(name);
    private FakeApiServer _server = null!;

    public int WebhookPort { get; } = FreePorts.Next();

    public Kubectl Kubectl { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public Uri ApiServer => _server.Url;

    public string WorkDir => _dir.Path;

    /// <summary>The silo's arguments and environment beyond its data folder and webhook: how it finds the API server.</summary>
    protected abstract (IEnumerable<string> Arguments, IDictionary<string, string> Environment) SiloOptions(Uri apiServer);

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start(new FakeApiServerOptions
        {
            ServiceUrls = (ns, name, port) => (ns, name, port) == ("mesh-system", "mesh-webhook", 443) ? new Uri($"https://127.0.0.1:{WebhookPort}") : null,
        });
        Kubectl = new Kubectl(_server.Url);
        var (arguments, environment) = SiloOptions(_server.Url);
        Silo = new SiloProcess(_dir.Path, "silo",
            ["--data", Path.Combine(_dir.Path, "data"), "--webhook-port", WebhookPort.ToString(), "--webhook-address", "127.0.0.1",
             "--webhook-namespace", "mesh-system", "--sidecar-image", "mesh-sidecar:test", .. arguments], environment);
        await Silo.Start().WaitReady();
        (await Kubectl.Apply(Configurations)).Succeeded();
        foreach (var kind in new[] { Injector, Validator })
        {
            await Timeouts.Until(async () => (await CaBundle(kind)).Length > 0, TimeSpan.FromSeconds(20), $"the silo setting {kind}'s caBundle\n{Silo.Process.Log()}");
        }
    }

    public async Task<string> CaBundle(string kind)
    {
        var configuration = JsonNode.Parse((await Kubectl.Run("", "get", kind, "-o", "json")).Succeeded().Output)!;
        return configuration["webhooks"]![0]!["clientConfig"]!["caBundle"]?.GetValue<string>() ?? "";
    }

    public async Task<JsonObject> Get(string ns, string kind, string name) =>
        JsonNode.Parse((await Kubectl.Run("", "get", kind, name, "-n", ns, "-o", "json")).Succeeded().Output)!.AsObject();

    public async Task DisposeAsync()
    {
        Silo.Dispose();
        Kubectl.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    // As deploy/ ships them, with failurePolicy Fail so that a webhook that is not called fails the test.
    private const string Configurations = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: mesh-sidecar-injector}
        webhooks:
        - name: sidecar-injector.mesh.io
          clientConfig:
            service: {name: mesh-webhook, namespace: mesh-system, path: /inject, port: 443}
            caBundle: ""
          rules:
          - {operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}
          namespaceSelector:
            matchExpressions: [{key: istio-injection, operator: NotIn, values: [disabled]}]
          failurePolicy: Fail
          sideEffects: None
          admissionReviewVersions: [v1]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: mesh-validator}
        webhooks:
        - name: validation.mesh.io
          clientConfig:
            service: {name: mesh-webhook, namespace: mesh-system, path: /validate, port: 443}
            caBundle: ""
          rules:
          - {operations: [CREATE, UPDATE], apiGroups: [networking.istio.io, security.istio.io], apiVersions: ["*"], resources: ["*"]}
          failurePolicy: Fail
          sideEffects: None
          admissionReviewVersions: [v1]
        """;
}

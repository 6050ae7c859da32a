using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Patching;
using Mesh.Kubernetes.Fake.Resources;
using Mesh.Kubernetes.Fake.Storage;

namespace Mesh.Kubernetes.Fake.Admission;

/// <summary>Calls the webhooks registered in Mutating- and ValidatingWebhookConfiguration objects on create and
/// update, as the API server does: mutating ones in order (each sees the previous one's patch), then validating
/// ones; a denial becomes the error the client sees, a failed call obeys <c>failurePolicy</c>.</summary>
public sealed class AdmissionChain(ObjectStore store, ResourceTypes types, FakeApiServerOptions options) : IDisposable
{
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task<JsonObject> Admit(ResourceType type, string subresource, string operation, JsonObject obj, JsonObject? old, CancellationToken cancel)
    {
        if (type.Group == "admissionregistration.k8s.io") return obj; // as the API server: webhooks never gate their own configuration
        foreach (var mutating in new[] { true, false })
        {
            var configurations = types.Find("admissionregistration.k8s.io", "v1", mutating ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations")!;
            foreach (var configuration in store.List(WatchFilter.All(configurations)).Items.OrderBy(ObjectMeta.Name, StringComparer.Ordinal))
            {
                foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (!WebhookRule.Applies(webhook, type, subresource, operation, ObjectMeta.Labels(obj), NamespaceLabels(type, obj))) continue;
                    obj = await Call(webhook, mutating, type, subresource, operation, obj, old, cancel);
                }
            }
        }
        return obj;
    }

    private IReadOnlyDictionary<string, string>? NamespaceLabels(ResourceType type, JsonObject obj)
    {
        if (type == ResourceTypes.Namespaces) return ObjectMeta.Labels(obj);
        if (!type.Namespaced) return null;
        var ns = store.Get(ResourceTypes.Namespaces, "", ObjectMeta.Namespace(obj));
        return ns is null ? new Dictionary<string, string>() : ObjectMeta.Labels(ns);
    }

    private async Task<JsonObject> Call(JsonObject webhook, bool mutating, ResourceType type, string subresource, string operation, JsonObject obj, JsonObject? old, CancellationToken cancel)
    {
        var name = webhook["name"]?.GetValue<string>() ?? "";
        var uid = Guid.NewGuid().ToString();
        var gvk = new GroupVersionKind(type.Group, type.Version, type.Kind);
        var gvr = new GroupVersionResource(type.Group, type.Version, type.Resource);
        var request = new AdmissionRequest(uid, gvk, gvr, subresource.Length == 0 ? null : subresource, gvk, gvr,
            ObjectMeta.Name(obj), type.Namespaced ? ObjectMeta.Namespace(obj) : null, operation,
            new AdmissionUser("kubernetes-admin", ["system:masters", "system:authenticated"]), obj, old, DryRun: false);
        AdmissionResponse response;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(webhook["timeoutSeconds"]?.GetValue<int>() ?? 10));
            var (client, url) = Endpoint(webhook["clientConfig"] as JsonObject ?? []);
            using var reply = await client.PostAsJsonAsync(url, new AdmissionReview(AdmissionReview.V1, "AdmissionReview", request, null), AdmissionReview.Json, timeout.Token);
            reply.EnsureSuccessStatusCode();
            var review = await reply.Content.ReadFromJsonAsync<AdmissionReview>(AdmissionReview.Json, timeout.Token);
            response = review?.Response ?? throw new InvalidOperationException("the webhook response has no response field");
            if (review.ApiVersion != AdmissionReview.V1 || review.Kind != "AdmissionReview") throw new InvalidOperationException($"expected {AdmissionReview.V1} AdmissionReview, got {review.ApiVersion} {review.Kind}");
            if (response.Uid != uid) throw new InvalidOperationException($"expected response.uid=\"{uid}\", got \"{response.Uid}\"");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException or System.Text.Json.JsonException && !cancel.IsCancellationRequested)
        {
            if (webhook["failurePolicy"]?.GetValue<string>() == "Ignore") return obj;
            throw new ApiError(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {e.Message}");
        }
        if (!response.Allowed) throw Denied(name, response.Status);
        if (response.Patch is null) return obj;
        if (!mutating || response.PatchType != "JSONPatch")
        {
            throw new ApiError(500, "InternalError", $"Internal error occurred: webhook \"{name}\" returned a patch{(mutating ? $" of type \"{response.PatchType}\"" : " from a validating webhook")}");
        }
        var operations = JsonNode.Parse(Convert.FromBase64String(response.Patch)) as JsonArray ?? [];
        return JsonPatch.Apply(obj, operations) as JsonObject ?? throw new ApiError(500, "InternalError", $"Internal error occurred: webhook \"{name}\"'s patch removed the object");
    }

    /// <summary>As the API server words a denial: the webhook's status, its code at least 400, the message prefixed.</summary>
    private static ApiError Denied(string name, AdmissionStatus? status)
    {
        var deniedBy = $"admission webhook \"{name}\" denied the request";
        var message = status?.Message is { Length: > 0 } m ? $"{deniedBy}: {m}" : status?.Reason is { Length: > 0 } r ? $"{deniedBy}: {r}" : $"{deniedBy} without explanation";
        return new ApiError(Math.Max(status?.Code ?? 0, 400), status?.Reason ?? "", message);
    }

    private (HttpClient Client, Uri Url) Endpoint(JsonObject clientConfig)
    {
        Uri url;
        if (clientConfig["url"]?.GetValue<string>() is { } text) url = new Uri(text);
        else if (clientConfig["service"] is JsonObject service)
        {
            var ns = service["namespace"]?.GetValue<string>() ?? "";
            var serviceName = service["name"]?.GetValue<string>() ?? "";
            var port = service["port"]?.GetValue<int>() ?? 443;
            var baseUrl = options.ServiceUrls(ns, serviceName, port)
                ?? throw new InvalidOperationException($"service {ns}/{serviceName}:{port} has no address in this fake (set FakeApiServerOptions.ServiceUrls)");
            url = new Uri(baseUrl, service["path"]?.GetValue<string>() ?? "/");
        }
        else throw new InvalidOperationException("clientConfig has neither url nor service");
        return (Client(clientConfig["caBundle"]?.GetValue<string>() ?? ""), url);
    }

    /// <summary>One client per caBundle: an https webhook is trusted only through the bundle its configuration names.</summary>
    private HttpClient Client(string caBundle)
    {
        lock (_clients)
        {
            if (_clients.TryGetValue(caBundle, out var existing)) return existing;
            var handler = new SocketsHttpHandler();
            if (caBundle.Length > 0)
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)));
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                };
            }
            return _clients[caBundle] = new HttpClient(handler);
        }
    }

    public void Dispose()
    {
        lock (_clients)
        {
            foreach (var client in _clients.Values) client.Dispose();
            _clients.Clear();
        }
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Admission;
using Mesh.Kubernetes.Fake.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Tests.Admission;

/// <summary>A tiny admission webhook on loopback: <c>/validate</c> denies objects labelled <c>deny</c>, <c>/mutate</c>
/// adds the label <c>injected=yes</c> with a JSON patch; both record the reviews they were sent.</summary>
public sealed class TestWebhook : IAsyncDisposable
{
    private WebApplication _app = null!;

    private TestWebhook()
    {
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<AdmissionRequest> Received { get; } = new();

    public static async Task<TestWebhook> Start()
    {
        var webhook = new TestWebhook();
        (webhook._app, webhook.Url) = await LoopbackHost.Start(app =>
        {
            app.MapPost("/validate", (AdmissionReview review) => webhook.Answer(review, request =>
                request.Object?["metadata"]?["labels"]?["deny"] is null
                    ? new AdmissionResponse(request.Uid, true)
                    : new AdmissionResponse(request.Uid, false, new AdmissionStatus(Message: "spec.hosts[0]: the label deny is set", Reason: "Invalid"))));
            app.MapPost("/mutate", (AdmissionReview review) => webhook.Answer(review, request =>
            {
                var patch = request.Object?["metadata"]?["labels"] is null
                    ? """[{"op":"add","path":"/metadata/labels","value":{"injected":"yes"}}]"""
                    : """[{"op":"add","path":"/metadata/labels/injected","value":"yes"}]""";
                return new AdmissionResponse(request.Uid, true, PatchType: "JSONPatch", Patch: Convert.ToBase64String(Encoding.UTF8.GetBytes(patch)));
            }));
            app.MapPost("/wrong-uid", (AdmissionReview review) => webhook.Answer(review, _ => new AdmissionResponse("not-the-uid", true)));
        });
        return webhook;
    }

    /// <summary>A MutatingWebhookConfiguration or ValidatingWebhookConfiguration for services on <paramref name="path"/>.</summary>
    public string Configuration(string kind, string path, string namespaceSelector = "{}") => $$"""
        apiVersion: admissionregistration.k8s.io/v1
        kind: {{kind}}
        metadata:
          name: {{path.TrimStart('/')}}
        webhooks:
        - name: {{path.TrimStart('/')}}.mesh.test
          clientConfig:
            url: {{new Uri(Url, path)}}
          rules:
          - operations: [CREATE, UPDATE]
            apiGroups: [""]
            apiVersions: [v1]
            resources: [services]
          namespaceSelector: {{namespaceSelector}}
          admissionReviewVersions: [v1]
          sideEffects: None
        """;

    private IResult Answer(AdmissionReview review, Func<AdmissionRequest, AdmissionResponse> decide)
    {
        var request = review.Request!;
        Received.Enqueue(request);
        return Results.Json(new AdmissionReview(AdmissionReview.V1, "AdmissionReview", null, decide(request)), AdmissionReview.Json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

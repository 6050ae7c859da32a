using System.Text.Json.Nodes;
using Mesh.Kubernetes.Injection;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Admission;

/// <summary><c>POST /inject</c>: the pod's namespace labels (read from the API server when the silo has a client for
/// it) and the pure <see cref="PodInjection"/>. A pod it cannot read, or a namespace it cannot read, is admitted with a
/// warning, as Istio's injector with <c>failurePolicy: Ignore</c>; a pod to inject whose Istio annotations are bad is
/// refused with their field paths, as Istio's injector refuses it.</summary>
public sealed partial class SidecarInjector(IOptions<Hosting.MeshOptions> options, ILogger<SidecarInjector> logger, k8s.IKubernetes? kubernetes = null)
{
    public async Task<JsonObject> Review(AdmissionReviewMessage review, CancellationToken cancellationToken)
    {
        if (review.Kind != "Pod" || review.Object is null) return review.Allow();
        var warnings = new List<string>();
        var namespaceLabels = await NamespaceLabels(review.Namespace, warnings, cancellationToken);
        var result = PodInjection.Inject(review.Object, review.Namespace, namespaceLabels, options.Value.Admission.Injection);
        warnings.AddRange(result.Warnings);
        var pod = review.Object["metadata"]?["name"]?.GetValue<string>() ?? review.Object["metadata"]?["generateName"]?.GetValue<string>() ?? "";
        if (result.Refusal is { } refusal)
        {
            LogDecision(logger, review.Namespace ?? "", pod, "refused", refusal);
            return review.Deny(refusal);
        }
        LogDecision(logger, review.Namespace ?? "", pod, result.Decision.Injects ? "injected" : "not injected", result.Decision.Reason);
        return result.Patch is null ? review.Allow(warnings) : review.Patch(result.Patch, warnings);
    }

    private async Task<IReadOnlyDictionary<string, string>> NamespaceLabels(string? name, List<string> warnings, CancellationToken cancellationToken)
    {
        if (kubernetes is null || string.IsNullOrEmpty(name)) return new Dictionary<string, string>();
        try
        {
            var ns = await k8s.CoreV1OperationsExtensions.ReadNamespaceAsync(kubernetes.CoreV1, name, cancellationToken: cancellationToken);
            return ns.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>();
        }
        catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException or k8s.KubernetesException)
        {
            warnings.Add($"mesh: could not read namespace {name} ({exception.Message}); injection decided by the pod's own switch only");
            return new Dictionary<string, string>();
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: sidecar {Outcome} ({Reason})")]
    private static partial void LogDecision(ILogger logger, string @namespace, string pod, string outcome, string reason);
}

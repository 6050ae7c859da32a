using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mesh.Kubernetes.Fake.Admission;

// admission.k8s.io/v1, the fields the API server sends and reads. KubernetesClient ships no AdmissionReview types.

/// <summary>The envelope sent to a webhook (with <see cref="Request"/>) and read back (with <see cref="Response"/>).</summary>
public sealed record AdmissionReview(string ApiVersion, string Kind, AdmissionRequest? Request, AdmissionResponse? Response)
{
    public const string V1 = "admission.k8s.io/v1";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}

public sealed record GroupVersionKind(string Group, string Version, string Kind);

public sealed record GroupVersionResource(string Group, string Version, string Resource);

public sealed record AdmissionUser(string Username, IReadOnlyList<string> Groups);

public sealed record AdmissionRequest(
    string Uid,
    GroupVersionKind Kind,
    GroupVersionResource Resource,
    string? SubResource,
    GroupVersionKind RequestKind,
    GroupVersionResource RequestResource,
    string? Name,
    string? Namespace,
    string Operation,
    AdmissionUser UserInfo,
    JsonObject? Object,
    JsonObject? OldObject,
    bool DryRun);

/// <summary>A webhook's answer: <see cref="Patch"/> is a base64 JSON patch when <see cref="PatchType"/> is <c>JSONPatch</c>.</summary>
public sealed record AdmissionResponse(string Uid, bool Allowed, AdmissionStatus? Status = null, string? PatchType = null, string? Patch = null);

public sealed record AdmissionStatus(int Code = 0, string? Message = null, string? Reason = null);

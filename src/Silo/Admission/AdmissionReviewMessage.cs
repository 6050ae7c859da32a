using System.Text;
using System.Text.Json.Nodes;

namespace Mesh.Silo.Admission;

/// <summary>An admission.k8s.io/v1 AdmissionReview's request, read once (KubernetesClient ships no admission types),
/// and the replies to it: each carries the request's <c>uid</c>, as the API server demands.</summary>
public sealed record AdmissionReviewMessage(string Uid, string Operation, string Kind, string? Namespace, JsonObject? Object)
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <exception cref="FormatException">Not a v1 AdmissionReview with a request and its uid; the message says which.</exception>
    public static AdmissionReviewMessage Read(JsonNode? review)
    {
        if (review is not JsonObject envelope) throw new FormatException("the body is not a JSON object");
        if (Text(envelope["apiVersion"]) != ApiVersion || Text(envelope["kind"]) != "AdmissionReview")
        {
            throw new FormatException($"expected apiVersion {ApiVersion}, kind AdmissionReview; got {Text(envelope["apiVersion"])} {Text(envelope["kind"])}");
        }
        if (envelope["request"] is not JsonObject request) throw new FormatException("request: required");
        if (Text(request["uid"]) is not { Length: > 0 } uid) throw new FormatException("request.uid: required");
        return new AdmissionReviewMessage(uid, Text(request["operation"]) ?? "", Text(request["kind"]?["kind"]) ?? "", Text(request["namespace"]), request["object"] as JsonObject);
    }

    public JsonObject Allow(IReadOnlyList<string>? warnings = null) => Reply(new JsonObject { ["allowed"] = true }, warnings);

    /// <summary>Allowed, with an RFC 6902 patch (base64, as the API server reads it).</summary>
    public JsonObject Patch(JsonArray patch, IReadOnlyList<string> warnings) => Reply(new JsonObject
    {
        ["allowed"] = true,
        ["patchType"] = "JSONPatch",
        ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString())),
    }, warnings);

    /// <summary>Refused: kubectl prints <paramref name="message"/> after "admission webhook ... denied the request: ".</summary>
    public JsonObject Deny(string message) => Reply(new JsonObject
    {
        ["allowed"] = false,
        ["status"] = new JsonObject { ["code"] = 422, ["reason"] = "Invalid", ["message"] = message },
    }, null);

    private JsonObject Reply(JsonObject response, IReadOnlyList<string>? warnings)
    {
        response["uid"] = Uid;
        if (warnings is { Count: > 0 }) response["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)w)]);
        return new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = "AdmissionReview", ["response"] = response };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

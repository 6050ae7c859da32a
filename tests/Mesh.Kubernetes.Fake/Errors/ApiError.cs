using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Errors;

/// <summary>A request the fake API server refuses, carried to the edge and written as a <c>metav1.Status</c>
/// with the same <c>reason</c>, <c>code</c> and message wording as kube-apiserver, so clients branch on it as they would.</summary>
public sealed class ApiError(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details?.DeepClone());

    public static JsonObject Status(int code, string reason, string message, JsonNode? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null) status["details"] = details;
        return status;
    }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type} \"{name}\" not found", Describe(type, name));

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type} \"{name}\" already exists", Describe(type, name));

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Describe(type, name));

    /// <summary>A watch from a resourceVersion the history no longer holds: the client must list again.</summary>
    public static ApiError Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(ResourceType type, string name, string field, string reason)
    {
        var details = Describe(type, name);
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = reason, ["field"] = field });
        return new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {field}: {reason}", details);
    }

    public static ApiError MethodNotAllowed(string verb, ResourceType type) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({verb} {type})");

    public static ApiError UnsupportedMediaType(string contentType, string accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted} (got {contentType}; this fake API server speaks JSON only)");

    private static JsonObject Describe(ResourceType type, string name) =>
        new() { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Resource };
}

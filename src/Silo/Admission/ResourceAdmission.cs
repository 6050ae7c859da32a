using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;

namespace Mesh.Silo.Admission;

/// <summary><c>POST /validate</c>: a Mesh kind created or updated with kubectl gets the same validation as an apply
/// through the API (<see cref="ResourceValidator"/>), and is refused with every field path and reason. Other kinds
/// and deletions pass.</summary>
public static class ResourceAdmission
{
    public static JsonObject Review(AdmissionReviewMessage review)
    {
        if (review.Object is not { } obj || review.Operation is not ("CREATE" or "UPDATE")) return review.Allow();
        var apiVersion = obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : "";
        if (ResourceKinds.FromDocument(apiVersion, kind) is null) return review.Allow();
        var result = ResourceValidator.Validate(WithoutServerFields(obj), review.Namespace ?? "default");
        return result.IsValid ? review.Allow() : review.Deny(Message(result));
    }

    /// <summary>The object without what the API server adds on its own and no user writes (a deletion in progress).</summary>
    private static JsonObject WithoutServerFields(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata) return obj;
        var copy = (JsonObject)obj.DeepClone();
        foreach (var field in ServerFields) ((JsonObject)copy["metadata"]!).Remove(field);
        return copy;
    }

    private static readonly string[] ServerFields = ["deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    /// <summary><c>VirtualService bookinfo/reviews: spec.http[0].route: required; spec.hosts: ...</c>: one line, as kubectl prints it.</summary>
    public static string Message(ValidationResult result) => $"{result.DisplayName}: {string.Join("; ", result.Errors.Select(e => e.ToString()))}";
}

using System.Text.Json.Nodes;

namespace Mesh.Config.Validation;

/// <summary>Validates one document against the schema and rules of its kind, reporting every error at once.
/// The same code runs in <c>meshctl validate</c> and in the server.</summary>
public static class ResourceValidator
{
    /// <param name="root">The whole document (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>).</param>
    /// <param name="defaultNamespace">Namespace for a document whose metadata names none.</param>
    /// <param name="documentIndex">Position in its manifest, for naming an unnamed document.</param>
    public static ValidationResult Validate(JsonObject root, string defaultNamespace = "default", int documentIndex = 0)
        => throw new NotImplementedException();
}

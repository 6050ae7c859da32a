using System.Text.Json.Nodes;
using Mesh.Config.Validation;

namespace Mesh.Config.Manifests;

/// <summary>One document of a manifest as read: its JSON tree, or the errors that kept it from being read.</summary>
/// <param name="Index">Position in the manifest, from 0.</param>
/// <param name="Line">Line where the document starts, from 1.</param>
public sealed record ManifestDocument(int Index, int Line, JsonObject? Root, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Root is not null && Errors.Count == 0;
}

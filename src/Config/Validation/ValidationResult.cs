using Mesh.Config.Manifests;

namespace Mesh.Config.Validation;

/// <summary>What validating one document found: the resource when it is valid, and every error. (Warnings come from reference checks, which need the stored config.)</summary>
public sealed record ValidationResult(Resource? Resource, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Resource is not null && Errors.Count == 0;

    /// <summary>How errors name the document: <c>VirtualService bookinfo/reviews</c>, or <c>document 2</c> when the name is unknown.</summary>
    public required string DisplayName { get; init; }
}

using Mesh.Api.V1;
using Mesh.Config.Manifests;

namespace Mesh.Silo.Api;

/// <summary>One document of an apply, checked but not stored: what it targets, and either the valid resource or its
/// first error. An invalid document's target is what it names, or the request's namespace.</summary>
public sealed record ReviewedDocument(string Kind, string Namespace, string Name)
{
    public Resource? Resource { get; init; }
    public long? ExpectedResourceVersion { get; init; }
    public List<FieldIssue> Warnings { get; init; } = [];
    /// <summary>The first error of this document; null when it is valid.</summary>
    public string? Error { get; init; }
}

using Mesh.Config.Manifests;

namespace Mesh.Config.Validation;

/// <summary>What the reference checker may look at: the stored resources (in the server) or the other documents
/// of the same manifest (offline).</summary>
public interface IConfigLookup
{
    /// <summary>Resources of one kind (<c>DestinationRule</c>), in one namespace or, when null, in all.</summary>
    ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default);
}

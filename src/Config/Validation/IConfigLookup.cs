using Mesh.Config.Manifests;

namespace Mesh.Config.Validation;

/// <summary>What the reference checker may look at: the stored resources (in the server) or the other documents
/// of the same manifest (offline).</summary>
public interface IConfigLookup
{
    /// <summary>Resources of one kind (<c>DestinationRule</c>), in one namespace or, when null, in all.</summary>
    ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default);

    /// <summary>ServiceEntries that declare, or DestinationRules that target, a fully qualified host. The default
    /// filters <see cref="ListAsync"/>; a server answers from an index by host instead of reading every resource.</summary>
    async ValueTask<IReadOnlyList<Resource>> ListForHostAsync(string kind, string host, CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(kind, null, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(resource => HostReferences.Of(resource).Any(declared => Rules.HostNames.Matches(declared, host)))];
    }
}

using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Source;

/// <summary>What a <see cref="ResourceWatch"/> tells about the objects of its kind. Each object reaches
/// <see cref="Upserted"/> once per resourceVersion, and <see cref="Deleted"/> once when it goes, whether the watch
/// saw the delete or a re-list found it missing. Calls come one at a time, from the watch's own loop.</summary>
public interface IResourceObserver
{
    Task Upserted(ApiResource resource, JsonObject obj, CancellationToken cancellation);

    /// <summary><paramref name="obj"/> is the last version the watch held (or the DELETED event's object).</summary>
    Task Deleted(ApiResource resource, JsonObject obj, CancellationToken cancellation);

    /// <summary>A list has completed and been reconciled: the observer now holds the server's whole state of this
    /// kind as of <paramref name="resourceVersion"/> (after the first list, and after each re-list that a 410 caused).</summary>
    Task Synced(ApiResource resource, string resourceVersion, CancellationToken cancellation);
}

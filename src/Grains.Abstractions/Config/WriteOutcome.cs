namespace Mesh.Grains.Config;

/// <summary>What a write did, in kubectl's words.</summary>
[GenerateSerializer, Alias("mesh.WriteOutcome")]
public enum WriteOutcome
{
    Created = 0,
    Configured = 1,
    Unchanged = 2,
    Deleted = 3,
    /// <summary>The expected resourceVersion was stale; nothing changed.</summary>
    Conflict = 4,
    /// <summary>Delete of a resource that does not exist.</summary>
    NotFound = 5,
    /// <summary>The stored resource comes from Kubernetes (<see cref="StoredConfig.FromKubernetes"/>) and the writer is
    /// not the Kubernetes source; nothing changed.</summary>
    OwnedByKubernetes = 6,
    /// <summary>The writer is the Kubernetes source and the stored resource is someone else's (applied through Mesh's
    /// API, without <see cref="StoredConfig.FromKubernetes"/>); nothing changed.</summary>
    NotFromKubernetes = 7,
}

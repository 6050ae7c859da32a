namespace Mesh.Xds.Cache;

/// <summary>All the xDS server sees of the cache: the current resource of a type and name, and watches that tell a
/// stream which of its resources changed. Implementations must be thread-safe; a resource returned must not be
/// altered (it is shared by every stream).</summary>
public interface IXdsCache
{
    /// <summary>The resource, or null when it does not exist (a name Mesh did not make, or one whose host, port or
    /// subset is unknown).</summary>
    Task<XdsResource?> Get(string typeUrl, string name);

    /// <summary>From now on, <paramref name="watcher"/> hears when this resource's version changes.</summary>
    void Watch(IXdsWatcher watcher, string typeUrl, string name);

    void Unwatch(IXdsWatcher watcher, string typeUrl, string name);
}

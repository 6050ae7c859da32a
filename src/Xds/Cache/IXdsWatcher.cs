using Mesh.Xds.Resources;

namespace Mesh.Xds.Cache;

/// <summary>Who watches resources in an <see cref="IXdsCache"/>: a live xDS stream.</summary>
public interface IXdsWatcher
{
    /// <summary>Some resources this watcher watches changed, in make-before-break order. Must not block: a stream
    /// that cannot take the news closes itself.</summary>
    void OnResourcesChanged(IReadOnlyList<XdsResourceKey> changed, ChangeOrigin origin);
}

namespace Mesh.Xds.Server;

/// <summary>A live xDS stream, as the subscription index sees it.</summary>
public interface IXdsStream
{
    /// <summary>Some resources this stream subscribes to changed. Must not block: a stream that cannot take the
    /// news closes itself.</summary>
    void OnResourcesChanged(IReadOnlyList<(string Type, string Name)> changed, Cache.ChangeOrigin origin);
}

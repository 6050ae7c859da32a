using Mesh.Xds.Resources;

namespace Mesh.Xds.Server;

/// <summary>News a stream's loop handles besides the proxy's requests.</summary>
internal abstract record StreamEvent
{
    /// <summary>Resources the stream subscribes to changed, and where the change came from.</summary>
    public sealed record Changed(IReadOnlyList<XdsResourceKey> Resources, Cache.ChangeOrigin Origin) : StreamEvent;
}

namespace Mesh.Xds.Server;

/// <summary>News a stream's loop handles besides the proxy's requests.</summary>
internal abstract record StreamEvent
{
    /// <summary>Resources the stream subscribes to changed, with when the change began (the convergence clock).</summary>
    public sealed record Changed(IReadOnlyList<(string Type, string Name)> Resources, DateTimeOffset ChangedAt) : StreamEvent;
}

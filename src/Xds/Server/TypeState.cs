namespace Mesh.Xds.Server;

/// <summary>One resource type on one stream: what is subscribed, what was last sent.</summary>
internal sealed class TypeState
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    public bool Wildcard { get; set; }
    public string LastNonce { get; set; } = "";
    public string LastVersion { get; set; } = "";
    /// <summary>Per resource, the version the client has (delta) or was last sent (state of the world).</summary>
    public Dictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);
    /// <summary>When the change being pushed began, for the convergence clock; cleared on ACK.</summary>
    public DateTimeOffset? PendingSince { get; set; }
}

namespace Mesh.Xds.Cache;

/// <summary>Where a push comes from: when the service changed (the convergence clock starts there) and the trace
/// of the operation that changed it, which each push span links to.</summary>
public sealed record ChangeOrigin(DateTimeOffset ChangedAt, string? TraceParent);

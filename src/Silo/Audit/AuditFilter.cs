namespace Mesh.Silo.Audit;

/// <summary>Which audit entries a listing wants: one namespace or all (null), from a time on, one user or all.</summary>
public sealed record AuditFilter(string? Namespace, DateTimeOffset Since, string? User, int Limit);

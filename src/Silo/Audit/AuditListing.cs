using Mesh.Grains.Audit;

namespace Mesh.Silo.Audit;

/// <summary>Audit entries newest first, and notes on what the listing left out.</summary>
public sealed record AuditListing(IReadOnlyList<AuditRecord> Entries, IReadOnlyList<string> Notes);

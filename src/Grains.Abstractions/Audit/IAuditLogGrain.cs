namespace Mesh.Grains.Audit;

/// <summary>One namespace's audit entries for one hour, keyed <c>namespace/yyyy-MM-ddTHH</c> (see
/// <see cref="AuditShards"/>), so that no grain sees every write. Append returns once the entries are durable.</summary>
[Alias("mesh.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    [Alias("Append")] Task Append(IReadOnlyList<AuditRecord> records);
    [Alias("Read")] Task<AuditPage> Read();
}

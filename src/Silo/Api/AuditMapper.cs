using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Mesh.Grains.Audit;

namespace Mesh.Silo.Api;

/// <summary>Audit records → the API's <see cref="Mesh.Api.V1.AuditEntry"/>.</summary>
public static class AuditMapper
{
    public static Mesh.Api.V1.AuditEntry ToApi(AuditRecord record) => new()
    {
        Time = Timestamp.FromDateTimeOffset(record.Time),
        User = record.User,
        Role = record.Role,
        Verb = record.Verb,
        Kind = record.Kind,
        Namespace = record.Namespace,
        Name = record.Name,
        Outcome = OutcomeName(record.Outcome),
        ResourceVersion = record.ResourceVersion > 0 ? record.ResourceVersion.ToString(CultureInfo.InvariantCulture) : "",
        DryRun = record.DryRun,
        TraceId = record.TraceId,
        Detail = record.Detail,
    };

    public static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.NotFound => "not-found",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

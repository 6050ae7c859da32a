using Mesh.Grains.Audit;
using Mesh.Silo.Access;

namespace Mesh.Silo.Audit;

/// <summary>One write request's audit entries, each stamped with the caller, the verb, the dry-run flag, the trace id
/// and the time its outcome was known; <see cref="Complete"/> records them. One request, one handler: not thread-safe.</summary>
public sealed class WriteAttempt
{
    /// <summary>Names, kinds and namespaces of invalid requests are user input: kept no longer than a DNS name.</summary>
    private const int MaxField = 253;
    private const int MaxDetail = 1000;

    private readonly AuditTrail _trail;
    private readonly bool _dryRun;
    private readonly string _traceId;
    private readonly List<AuditRecord> _records = [];

    internal WriteAttempt(AuditTrail trail, ApiUser user, string verb, bool dryRun, string traceId)
    {
        _trail = trail;
        User = user;
        Verb = verb;
        _dryRun = dryRun;
        _traceId = traceId;
    }

    public ApiUser User { get; }

    /// <summary><c>apply</c> or <c>delete</c>.</summary>
    public string Verb { get; }

    public void Add(AuditOutcome outcome, string kind, string @namespace, string name, long resourceVersion = 0, string detail = "") =>
        _records.Add(new AuditRecord
        {
            Time = _trail.Now,
            User = User.Name,
            Role = User.RoleName,
            Verb = Verb,
            Kind = Cut(kind, MaxField),
            Namespace = Cut(@namespace, MaxField),
            Name = Cut(name, MaxField),
            Outcome = outcome,
            ResourceVersion = resourceVersion,
            DryRun = _dryRun,
            TraceId = _traceId,
            Detail = Cut(detail, MaxDetail),
        });

    /// <summary>Records what was added since the last call. Never throws.</summary>
    public async Task Complete()
    {
        if (_records.Count == 0) return;
        var records = _records.ToList();
        _records.Clear();
        await _trail.Record(records);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}

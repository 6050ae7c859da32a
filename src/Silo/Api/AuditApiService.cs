using Grpc.Core;
using Mesh.Api.Audit;
using Mesh.Api.V1;
using Mesh.Silo.Audit;

namespace Mesh.Silo.Api;

/// <summary>The audit trail's API (<c>mesh.v1.AuditService</c>): every write attempt, newest first. Any role reads
/// all of it, as any role reads every resource; it holds who did what, never specs or tokens.</summary>
public sealed class AuditApiService(AuditQuery query, TimeProvider time) : AuditService.AuditServiceBase
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5000;

    public override async Task<AuditListResponse> List(AuditListRequest request, ServerCallContext context)
    {
        var ns = string.IsNullOrEmpty(request.Namespace) ? null : ConfigApiService.RequireNamespace(request.Namespace);
        if (!AuditSince.TryParse(request.Since, time.GetUtcNow(), out var since, out var error)) throw ApiErrors.Invalid(error);
        var limit = request.Limit switch
        {
            0 => DefaultLimit,
            > 0 and <= MaxLimit => request.Limit,
            _ => throw ApiErrors.Invalid($"limit {request.Limit} is out of range: 1 to {MaxLimit}, or 0 for {DefaultLimit}"),
        };
        var listing = await query.List(new AuditFilter(ns, since, string.IsNullOrEmpty(request.User) ? null : request.User, limit));
        var response = new AuditListResponse();
        response.Entries.Add(listing.Entries.Select(AuditMapper.ToApi));
        response.Notes.Add(listing.Notes);
        return response;
    }
}

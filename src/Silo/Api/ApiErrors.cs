using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Kinds;

namespace Mesh.Silo.Api;

/// <summary>The one place API failures become gRPC statuses.</summary>
public static class ApiErrors
{
    /// <summary>Errors carried in one status; they travel in HTTP/2 trailers, which clients cap at tens of KB.</summary>
    public const int MaxIssues = 100;
    private const int MaxMessageLines = 20;
    private const int MaxReasonLength = 400;

    /// <summary>Every message a status carries as a detail, so that JSON transcoding can write it (an unknown one
    /// turns the error into an empty 500).</summary>
    public static TypeRegistry DetailTypes { get; } = TypeRegistry.FromMessages(ValidationErrors.Descriptor);

    /// <summary>INVALID_ARGUMENT whose message lists the errors, with the errors also as a <see cref="ValidationErrors"/>
    /// detail (the first <see cref="MaxIssues"/>, then one saying how many more there are).</summary>
    public static RpcException Invalid(IReadOnlyList<FieldIssue> issues)
    {
        var kept = issues.Take(MaxIssues).Select(Shorten).ToList();
        if (issues.Count > MaxIssues)
        {
            kept.Add(new FieldIssue { Resource = "manifest", Reason = $"and {issues.Count - MaxIssues} more errors; fix these and apply again" });
        }
        var lines = kept.Select(issue => issue.Display()).ToList();
        var message = lines.Count == 1 ? lines[0]
            : $"{issues.Count} errors:\n" + string.Join('\n', lines.Take(MaxMessageLines)) + (lines.Count > MaxMessageLines ? "\n..." : "");
        var details = new ValidationErrors();
        details.Errors.Add(kept);
        var status = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = message };
        status.Details.Add(Any.Pack(details));
        return status.ToRpcException();
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));

    public static RpcException Conflict(string message) => new(new Status(StatusCode.Aborted, message));

    /// <summary>The resource is not Mesh's API's to change (it comes from Kubernetes): FAILED_PRECONDITION, since
    /// retrying the same request cannot succeed.</summary>
    public static RpcException NotOwned(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));

    /// <summary>A write whose grain calls kept failing for cluster faults (UNAVAILABLE: trying again may help; a
    /// stale resourceVersion is ABORTED, never this). The message says whether it may have been stored, why, and the
    /// command that tells.</summary>
    public static RpcException WriteUnsettled(ResourceKind kind, string ns, string name, bool delete, WriteUnsettledException unsettled)
    {
        var verb = delete ? "deleted" : "stored";
        var resource = $"{kind.Kind} {ns}/{name}";
        var why = $"{ClusterFault.Reason(unsettled.InnerException ?? unsettled)} ({unsettled.Attempts} attempt(s))";
        var get = $"meshctl get {kind.Kind.ToLowerInvariant()} {name} -n {ns} -o yaml";
        var message = unsettled.MayHaveLanded
            ? $"{resource} may or may not be {verb}: {why}, and the outcome could not be learned in time. " +
              (delete
                  ? $"To tell, run `{get}`: \"not found\" means it was deleted."
                  : $"To tell, run `{get}` and compare its spec and resourceVersion with what you applied (a newer resourceVersion holding your spec means it landed).")
            : $"{resource} was not {verb}: {why}; nothing changed. Try again in a few seconds.";
        return Unavailable(message);
    }

    /// <summary>An exception no handler turned into a status: a cluster fault as UNAVAILABLE, anything else as
    /// INTERNAL, each with the request's trace id so that the silo's log line can be found.</summary>
    public static RpcException Unexpected(string method, Exception exception, string traceId)
    {
        var trace = traceId.Length > 0 ? $"trace id {traceId}" : "no trace id";
        var what = $"{exception.GetType().Name}: {OneLine(exception.Message)}";
        return ClusterFault.Classify(exception) == ClusterFaultKind.None
            ? new RpcException(new Status(StatusCode.Internal, $"{method} failed on the server ({what}); the silo's log has the details under {trace}"))
            : Unavailable($"{method} could not be answered: {ClusterFault.Reason(exception)} ({what}); try again in a few seconds ({trace})");
    }

    /// <summary>The caller's token is missing or unknown.</summary>
    public static RpcException Unauthenticated(string message) => new(new Status(StatusCode.Unauthenticated, message));

    /// <summary>The caller is known, but its role does not allow this.</summary>
    public static RpcException Denied(string message) => new(new Status(StatusCode.PermissionDenied, message));

    private static FieldIssue Shorten(FieldIssue issue) => new()
    {
        Resource = Cut(issue.Resource),
        Path = Cut(issue.Path),
        Reason = Cut(issue.Reason),
    };

    private static string OneLine(string text) => Cut(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)));

    private static string Cut(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "...";
}

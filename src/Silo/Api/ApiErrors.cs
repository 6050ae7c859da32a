using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;

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

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));

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

    private static string Cut(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "...";
}

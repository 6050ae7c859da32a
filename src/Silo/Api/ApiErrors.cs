using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;

namespace Mesh.Silo.Api;

/// <summary>The one place API failures become gRPC statuses.</summary>
public static class ApiErrors
{
    /// <summary>INVALID_ARGUMENT whose message lists every error, with the errors also as a <see cref="ValidationErrors"/> detail.</summary>
    public static RpcException Invalid(IReadOnlyList<FieldIssue> issues)
    {
        var lines = issues.Select(Format).ToList();
        var message = lines.Count == 1 ? lines[0] : $"{lines.Count} errors:\n" + string.Join('\n', lines);
        var details = new ValidationErrors();
        details.Errors.Add(issues);
        var status = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = message };
        status.Details.Add(Any.Pack(details));
        return status.ToRpcException();
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));

    public static RpcException Conflict(string message) => new(new Status(StatusCode.Aborted, message));

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));

    public static string Format(FieldIssue issue) =>
        string.IsNullOrEmpty(issue.Path) ? $"{issue.Resource}: {issue.Reason}" : $"{issue.Resource}: {issue.Path}: {issue.Reason}";
}

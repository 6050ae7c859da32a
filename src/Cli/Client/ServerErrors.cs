using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Client;

/// <summary>Turns a failed call into the lines meshctl prints, each starting with <c>error:</c>.</summary>
public static class ServerErrors
{
    public static IReadOnlyList<string> Describe(RpcException exception, string server)
    {
        if (exception.StatusCode == StatusCode.InvalidArgument && exception.GetRpcStatus() is { } status)
        {
            var details = status.GetDetail<ValidationErrors>();
            if (details is not null && details.Errors.Count > 0)
            {
                return [.. details.Errors.Select(e => TerminalText.Of($"error: {e.Display()}"))];
            }
        }
        return exception.StatusCode switch
        {
            StatusCode.Unavailable when exception.Status.DebugException is not null || exception.Status.Detail.Contains("Error connecting", StringComparison.OrdinalIgnoreCase) =>
                [TerminalText.Of($"error: cannot reach the Mesh server at {server}: {exception.Status.Detail}. Start it (dotnet run --project src/Silo) or pass --server URL / set MESH_SERVER.")],
            StatusCode.DeadlineExceeded => [TerminalText.Of($"error: the Mesh server at {server} did not answer in time")],
            _ => [TerminalText.Of($"error: {exception.Status.Detail}")],
        };
    }
}

using Grpc.Core;

namespace Mesh.Silo.Access;

/// <summary>The authenticated caller of a management API call, as <see cref="ApiGate"/> left it in the request's
/// <c>HttpContext.Items</c> (which native gRPC and JSON transcoding share) before the body was read.</summary>
public static class ApiCaller
{
    private static readonly object Key = typeof(ApiCaller);

    /// <summary>Who is calling. Throws if the gate did not admit the call, which is a wiring bug, not a user error.</summary>
    public static ApiUser Caller(this ServerCallContext context) =>
        context.GetHttpContext().AdmittedCaller()
        ?? throw new InvalidOperationException($"no authenticated caller for {context.Method}: the API gate did not run");

    /// <summary>The caller the gate admitted, or null when it did not admit this request.</summary>
    public static ApiUser? AdmittedCaller(this HttpContext http) =>
        http.Items.TryGetValue(Key, out var user) && user is ApiUser caller ? caller : null;

    internal static void SetCaller(this HttpContext http, ApiUser user) => http.Items[Key] = user;
}

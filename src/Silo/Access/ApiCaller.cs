using Grpc.Core;

namespace Mesh.Silo.Access;

/// <summary>The authenticated caller of a management API call, as <see cref="AccessInterceptor"/> left it in the
/// call's user state (on native gRPC that is <c>HttpContext.Items</c>; JSON transcoding has its own).</summary>
public static class ApiCaller
{
    private static readonly object Key = typeof(ApiCaller);

    /// <summary>Who is calling. Throws if the access interceptor did not run, which is a wiring bug, not a user error.</summary>
    public static ApiUser Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var user) && user is ApiUser caller ? caller
        : throw new InvalidOperationException($"no authenticated caller for {context.Method}: the access interceptor did not run");

    internal static void SetCaller(this ServerCallContext context, ApiUser user) => context.UserState[Key] = user;
}

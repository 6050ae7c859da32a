using Grpc.Core;
using Grpc.Core.Interceptors;
using Mesh.Silo.Api;

namespace Mesh.Silo.Access;

/// <summary>The second lock on the management API (<c>/mesh.v1.*</c>): a call reaches its handler only if
/// <see cref="ApiGate"/> admitted it before its body was read. The gate decides; this only makes sure it ran, so a
/// pipeline that loses the gate refuses every call instead of serving them all. Other methods (xDS, workload
/// certificates) pass untouched.</summary>
public sealed class AccessInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        RequireAdmitted(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RequireAdmitted(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RequireAdmitted(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        RequireAdmitted(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void RequireAdmitted(ServerCallContext context)
    {
        if (!ApiAdmission.Guards(context.Method)) return;
        if (context.GetHttpContext().AdmittedCaller() is null)
        {
            throw ApiErrors.Unauthenticated($"{context.Method.TrimStart('/')} was not admitted by the API gate; this is a server wiring bug, please report it");
        }
    }
}

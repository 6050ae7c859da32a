using Grpc.Core;
using Grpc.Core.Interceptors;
using Mesh.Silo.Monitoring;

namespace Mesh.Silo.Api;

/// <summary>The last net under every gRPC and JSON handler of the silo (the management API, xDS, the workload CA):
/// an exception that no handler turned into a status is logged with the request's trace id and answered with a
/// status that names it (<see cref="ApiErrors.Unexpected"/>), never gRPC's bare "Exception was thrown by handler.".
/// A call its client cancelled passes as it is.</summary>
public sealed partial class UnexpectedErrorInterceptor(ILogger<UnexpectedErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            throw Answer(exception, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            throw Answer(exception, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            throw Answer(exception, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            throw Answer(exception, context);
        }
    }

    /// <summary>A status a handler chose is expected; so is anything once the client has gone (its cancellation
    /// surfaces as whatever the handler was awaiting).</summary>
    private static bool IsUnexpected(Exception exception, ServerCallContext context) =>
        exception is not RpcException && !context.CancellationToken.IsCancellationRequested;

    private RpcException Answer(Exception exception, ServerCallContext context)
    {
        var method = context.Method.TrimStart('/');
        var traceId = RequestTrace.Id();
        LogUnexpected(logger, method, traceId, exception);
        return ApiErrors.Unexpected(method, exception, traceId);
    }

    [LoggerMessage(EventId = 1350, Level = LogLevel.Error, Message = "{Method} failed with an exception no handler turned into a status (trace {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, string method, string traceId, Exception exception);
}

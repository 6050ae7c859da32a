using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mesh.Silo.Api;

/// <summary>Requires <c>Authorization: Bearer TOKEN</c> on every API call when a token is configured.</summary>
public sealed class TokenInterceptor(ApiToken token) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (token.Value is null) return;
        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "this API requires a bearer token: pass --token or set MESH_TOKEN"));
        }
        var presented = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token.Value)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the bearer token is not valid for this server"));
        }
    }
}

/// <summary>The configured API token; null when the API is loopback-only and open.</summary>
public sealed record ApiToken(string? Value);

using Grpc.Core;
using Grpc.Core.Interceptors;
using Mesh.Silo.Api;

namespace Mesh.Silo.Access;

/// <summary>Admits management API calls (<c>/mesh.v1.*</c>): authenticates the bearer token, checks the method's
/// entry in <see cref="ApiPermissions"/> (a method not there is refused), and leaves the caller for the service code
/// (<see cref="ApiCaller.Caller"/>). Namespaces of a write are checked by its handler, which reads them from the
/// request. Other methods (xDS, served on its own port) pass untouched.</summary>
public sealed class AccessInterceptor(ApiUsers users) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Admit(ServerCallContext context)
    {
        if (!context.Method.StartsWith(ApiPermissions.ApiPrefix, StringComparison.Ordinal)
            || context.Method.StartsWith(ApiPermissions.WorkloadCertificatePrefix, StringComparison.Ordinal)) return;
        var caller = Authenticate(context);
        var method = context.Method.TrimStart('/');
        switch (ApiPermissions.For(context.Method))
        {
            case null:
                throw ApiErrors.Denied($"user {caller.Name} ({caller.RoleDescription}) may not call {method}: it is not in the API's permission table, so nobody may");
            case { } permission when !caller.Reaches(permission):
                throw ApiErrors.Denied($"user {caller.Name} ({caller.RoleDescription}) may not call {method}: it needs the admin role; ask an admin for it");
        }
        context.SetCaller(caller);
    }

    private ApiUser Authenticate(ServerCallContext context)
    {
        if (users.IsOpen) return ApiUser.Local;
        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiErrors.Unauthenticated("this API requires a bearer token: pass --token or set MESH_TOKEN");
        }
        return users.Authenticate(header[scheme.Length..].Trim())
            ?? throw ApiErrors.Unauthenticated("the bearer token is not valid for this server");
    }
}

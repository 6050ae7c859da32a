using Grpc.AspNetCore.Server;
using Grpc.Core;
using Mesh.Silo.Access;
using Mesh.Silo.Api;
using Mesh.Xds.Security;

namespace Mesh.Silo.Security;

/// <summary>The workload CA's front door: authenticates a CSR call from its connection and headers alone (the
/// workload certificate, or its bearer token) and refuses it without reading its body, as <see cref="ApiGate"/> does
/// for the management API. The handler takes the credential from here (<see cref="Credential"/>).</summary>
public sealed class WorkloadGate(RequestDelegate next, WorkloadAuthenticator authenticator)
{
    private static readonly object Key = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName;
        if (method is null || !method.StartsWith(ApiPermissions.WorkloadCertificatePrefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        try
        {
            // Null off the secured port (where PortPartition already answers 404).
            context.Items[Key] = await authenticator.Authenticate(context, context.RequestAborted)
                ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "certificates are issued on the secured xDS port (15012) only"));
        }
        catch (RpcException refused)
        {
            await ApiRefusal.Write(context, json: false, refused.Status);
            return;
        }
        await next(context);
    }

    /// <summary>The credential the gate admitted the call with; a call it did not admit is refused (fails closed).</summary>
    public static WorkloadCredential Credential(HttpContext context)
        => context.Items[Key] as WorkloadCredential
           ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not authenticated by the workload gate"));
}

using System.Net.Security;
using Grpc.Net.Client;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Security;

/// <summary>Channels to the control plane: plaintext for a sidecar without identity (loopback 15010), TLS for one
/// with (15012), checking the server's certificate against the mesh's roots and presenting the workload
/// certificate once there is one.</summary>
public sealed class ControlPlaneChannel(SidecarOptions options, WorkloadIdentity identity)
{
    public GrpcChannel Open(string server)
    {
        if (!options.Secured)
        {
            return GrpcChannel.ForAddress($"http://{server}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        }
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 leaf
                    && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                    && identity.Trust.Chains(leaf, chain, identity.Current?.Intermediates),
            },
        };
        // Only a certificate the server can take: an expired one, or one whose root was retired, would get nowhere, and
        // without it the call falls back to the bearer token.
        if (identity.Current is { } current && current.NotAfter > DateTimeOffset.UtcNow && identity.VerifyPeer(current.Leaf, null) is not null)
        {
            handler.SslOptions.ClientCertificateContext = current.Context;
        }
        return GrpcChannel.ForAddress($"https://{server}", new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 64 * 1024 * 1024, DisposeHttpClient = true });
    }
}

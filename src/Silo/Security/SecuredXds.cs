using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Mesh.Silo.Security;

/// <summary>The secured xDS port: TLS with the control plane's certificate (and its intermediates) from the mesh's CA.
/// A client certificate is asked for but never fails the handshake: <see cref="Mesh.Xds.Security.WorkloadAuthenticator"/>
/// decides, taking a valid workload certificate, else a bearer token, so that a proxy whose certificate expired (or
/// whose root was retired) can still come back with its token.</summary>
public static class SecuredXds
{
    public static void Configure(ListenOptions listen, KestrelServerOptions kestrel)
    {
        listen.Protocols = HttpProtocols.Http2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ =>
            {
                var certificate = kestrel.ApplicationServices.GetRequiredService<ControlPlaneCertificate>().Context
                    ?? throw new AuthenticationException("the control plane's certificate is not issued yet");
                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
            },
        });
    }
}

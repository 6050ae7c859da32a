using System.Security.Authentication;
using Mesh.Xds.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Mesh.Silo.Security;

/// <summary>The secured xDS port: TLS with the control plane's certificate from the mesh's CA; a client certificate is
/// asked for and, when presented, must chain to a trusted root and carry a SPIFFE id (proxies without one yet
/// authenticate with a bearer token instead).</summary>
public static class SecuredXds
{
    public static void Configure(ListenOptions listen, KestrelServerOptions kestrel)
    {
        listen.Protocols = HttpProtocols.Http2;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ServerCertificateSelector = (_, _) => kestrel.ApplicationServices.GetRequiredService<ControlPlaneCertificate>().Current,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (certificate, chain, _) => kestrel.ApplicationServices.GetRequiredService<TrustStore>()
                .Verify(certificate, chain?.ChainElements.Select(e => e.Certificate)) is not null,
        });
    }
}

using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Envoy.Service.Secret.V3;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Security;

/// <summary>SDS for local consumers on the sidecar's Unix socket (<c>--sds-socket</c>), as istio-agent serves Envoy:
/// <c>default</c> (the workload's chain and private key, which never leave the machine) and <c>ROOTCA</c> (the trust
/// bundle), pushed again on every renewal and every change of the bundle.</summary>
public sealed class LocalSecretDiscovery(WorkloadIdentity identity, ConfigStore store) : SecretDiscoveryService.SecretDiscoveryServiceBase
{
    public override async Task StreamSecrets(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void Signal() => changed.Writer.TryWrite(true);
        void OnRenewed(WorkloadCertificate _) => Signal();
        // Only a new trust bundle matters here, not every other config change.
        var trustPem = store.Current.TrustedRoots?.Pem;
        void OnApplied(ProxyModel model)
        {
            var pem = model.TrustedRoots?.Pem;
            if (Interlocked.Exchange(ref trustPem, pem) != pem) Signal();
        }
        identity.Renewed += OnRenewed;
        store.Applied += OnApplied;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var nonce = 0;
        var sent = "";
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await requestStream.MoveNext(context.CancellationToken))
                {
                    var request = requestStream.Current;
                    lock (names)
                    {
                        if (names.SetEquals(request.ResourceNames) && request.ResponseNonce.Length > 0) continue;
                        names.Clear();
                        names.UnionWith(request.ResourceNames);
                    }
                    Signal();
                }
            }
            finally
            {
                changed.Writer.TryComplete();
            }
        });
        try
        {
            await foreach (var _ in changed.Reader.ReadAllAsync(context.CancellationToken))
            {
                string[] wanted;
                lock (names) wanted = [.. names.Order(StringComparer.Ordinal)];
                var secrets = wanted.Select(Secret).OfType<Secret>().ToList();
                var version = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                    secrets.SelectMany(s => s.ToByteArray()).ToArray()))[..16].ToLowerInvariant();
                if (version == sent || secrets.Count == 0) continue;
                var response = new DiscoveryResponse { TypeUrl = TypeUrls.Secret, VersionInfo = version, Nonce = (++nonce).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                response.Resources.Add(secrets.Select(Google.Protobuf.WellKnownTypes.Any.Pack));
                await responseStream.WriteAsync(response, context.CancellationToken);
                sent = version;
            }
            await reading;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            identity.Renewed -= OnRenewed;
            store.Applied -= OnApplied;
        }
    }

    /// <summary>A secret by Istio's name, or null when there is nothing to serve yet (or the name is unknown).</summary>
    private Secret? Secret(string name)
    {
        switch (name)
        {
            case SecretNames.Default when identity.Current is { } current:
                var key = current.Leaf.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem() ?? current.Leaf.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem() ?? "";
                return new Secret
                {
                    Name = SecretNames.Default,
                    TlsCertificate = new TlsCertificate
                    {
                        CertificateChain = new DataSource { InlineBytes = ByteString.CopyFromUtf8(current.ChainPem) },
                        PrivateKey = new DataSource { InlineBytes = ByteString.CopyFromUtf8(key) },
                    },
                };
            case SecretNames.RootCa when identity.Trust.Pem.Length > 0:
                return new Secret
                {
                    Name = SecretNames.RootCa,
                    ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineBytes = ByteString.CopyFromUtf8(identity.Trust.Pem) } },
                };
            default:
                return null;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;

// Workload certificate issuance under load: COUNT CSRs (keys made beforehand, so only the server's work is timed)
// sent with CONCURRENCY in flight to the secured port, authenticated by a bootstrap token, each checked against the
// trust bundle. Prints one Markdown row.
//   dotnet run -c Release --project bench/CaLoad -- --api http://127.0.0.1:15020 --ca 127.0.0.1:15012 --count 2000 --concurrency 16
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var api = Arg("--api", "http://127.0.0.1:15020");
var ca = Arg("--ca", "127.0.0.1:15012");
var count = int.Parse(Arg("--count", "2000"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency", "16"), CultureInfo.InvariantCulture);
var label = Arg("--label", "embedded");

using var management = GrpcChannel.ForAddress(api);
var security = new SecurityService.SecurityServiceClient(management);
var bundle = await security.GetCaAsync(new GetCaRequest());
var roots = new X509Certificate2Collection();
roots.ImportFromPem(string.Concat(bundle.Roots.Select(r => r.Pem)));
var token = (await security.CreateTokenAsync(new CreateTokenRequest { Namespace = "bench", ServiceAccount = "load", TtlSeconds = 3600 })).Token;

bool Trusted(X509Certificate2 leaf)
{
    using var chain = new X509Chain();
    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
    return chain.Build(leaf);
}

using var channel = GrpcChannel.ForAddress($"https://{ca}", new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler
    {
        EnableMultipleHttp2Connections = true,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 leaf && Trusted(leaf) },
    },
});
var client = new CertificateService.CertificateServiceClient(channel);
var headers = new Metadata { { "authorization", $"Bearer {token}" } };

var csrs = Enumerable.Range(0, count).AsParallel().Select(_ =>
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    return new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
}).ToArray();
// Warm-up: connections, JIT, grain activation.
for (var i = 0; i < 20; i++) await client.CreateCertificateAsync(new CreateCertificateRequest { Csr = csrs[i] }, headers);

var latencies = new double[count];
var errors = 0;
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await client.CreateCertificateAsync(new CreateCertificateRequest { Csr = csrs[i] }, headers);
            using var leaf = X509Certificate2.CreateFromPem(response.CertChain[0]);
            if (!Trusted(leaf)) Interlocked.Increment(ref errors);
        }
        catch (RpcException)
        {
            Interlocked.Increment(ref errors);
        }
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
})));
var elapsed = clock.Elapsed;
Array.Sort(latencies);
double P(double q) => latencies[Math.Min(count - 1, (int)(q * count))];
Console.WriteLine($"| {label} | {count} | {concurrency} | {count / elapsed.TotalSeconds:F0} | {P(0.5):F1} | {P(0.95):F1} | {P(0.99):F1} | {errors} |");

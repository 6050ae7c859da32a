using Mesh.Hosting.Logging;
using Mesh.Grains;
using Mesh.Grains.Security;
using Mesh.Silo.Access;
using Mesh.Silo.Admission;
using Mesh.Silo.Api;
using Mesh.Silo.Audit;
using Mesh.Silo.Hosting;
using Mesh.Silo.Kubernetes.Source;
using Mesh.Silo.Monitoring;
using Mesh.Silo.Security;
using Mesh.Silo.Watch;
using Mesh.Xds;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(CommandLineSwitches.Help);
    return 0;
}
var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && !CommandLineSwitches.Map.ContainsKey(a.Split('=')[0])).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"error: unknown option {unknown[0]}; run mesh-silo --help for the options");
    return 2;
}

args = CommandLineSwitches.Normalize(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map.ToDictionary());
try
{
    ListenAddress.Normalize(builder.Configuration);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 2;
}
var mesh = builder.Configuration.GetSection(MeshOptions.Section).Get<MeshOptions>() ?? new MeshOptions();
builder.Services.Configure<MeshOptions>(builder.Configuration.GetSection(MeshOptions.Section));

ApiUsers users;
IReadOnlyList<string> accessWarnings;
byte[] caKey;
try
{
    (users, accessWarnings) = ApiAccess.ResolveUsers(mesh.Api);
    caKey = CaEncryptionKey.Resolve(mesh);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

builder.Logging.AddMeshConsole("yyyy-MM-ddTHH:mm:ss.fffZ ", utc: true);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    var api = ListenAddress.Bind(mesh.Api.Address);
    kestrel.Listen(api, mesh.Api.Port, listen => listen.Protocols = HttpProtocols.Http2);
    kestrel.Listen(api, mesh.Api.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
    kestrel.Listen(ListenAddress.Bind(mesh.MonitoringAddress), mesh.MonitoringPort, listen => listen.Protocols = HttpProtocols.Http1);
    if (ListenAddress.IsLoopback(mesh.Xds.Address))
    {
        kestrel.Listen(ListenAddress.Bind(mesh.Xds.Address), mesh.Xds.Port, listen => listen.Protocols = HttpProtocols.Http2);
    }
    kestrel.Listen(ListenAddress.Bind(mesh.Xds.SecureAddress), mesh.Xds.SecurePort, listen => SecuredXds.Configure(listen, kestrel));
    kestrel.ListenAdmission(mesh);
    // Small by default; ApiGate raises it for apply once the caller is admitted.
    kestrel.Limits.MaxRequestBodySize = ApiBodyLimits.Small;
});
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));

builder.UseOrleans(silo => OrleansSetup.Configure(silo, mesh));
builder.Services.AddMeshGrains(
    feed => feed.SubscriptionExpiry = mesh.FeedSubscriptionExpiry,
    reconcile => builder.Configuration.GetSection($"{MeshOptions.Section}:Reconcile").Bind(reconcile));
builder.Services.AddOptions<CertificateAuthorityOptions>()
    .Bind(builder.Configuration.GetSection($"{MeshOptions.Section}:Ca"))
    .PostConfigure(ca => ca.EncryptionKey = caKey);
k8s.KubernetesClientConfiguration? kubernetes;
try
{
    kubernetes = KubernetesConnection.Configuration(mesh.Kubernetes);
}
catch (Exception exception) when (exception is InvalidOperationException or k8s.Exceptions.KubeConfigException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 2;
}
if (kubernetes is not null)
{
    builder.Services.AddKubernetesSource(kubernetes, mesh.Kubernetes);
    // Projected service-account tokens are checked with whichever API server the silo has (in a cluster, --kubeconfig, --kube-api).
    builder.Services.AddSingleton<Mesh.Xds.Security.IServiceAccountTokenReviewer, KubernetesTokenReviewer>();
}
builder.Services.AddSingleton<ControlPlaneCertificate>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<ControlPlaneCertificate>());
builder.Services.AddMeshAdmission(mesh);
builder.Services.AddMeshXds(
    xds => builder.Configuration.GetSection($"{MeshOptions.Section}:Xds").Bind(xds),
    services => services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToString());
builder.Services.AddSingleton(users);
builder.Services.AddSingleton<ApiAdmission>();
builder.Services.AddSingleton<AuditTrail>();
builder.Services.AddSingleton<AuditQuery>();
builder.Services.AddSingleton<ConfigCatalog>();
builder.Services.AddSingleton<ConfigWatchFactory>();
builder.Services.AddSingleton<MeshMetrics>();
builder.Services.AddSingleton<SiloReadiness>();
builder.Services.AddHostedService<ResourceCountSampler>();
builder.Services.AddHostedService<SiloDeathWatcher>();
builder.Services.AddGrpc(grpc =>
{
    grpc.Interceptors.Add<MetricsInterceptor>();
    grpc.Interceptors.Add<AccessInterceptor>();
    grpc.Interceptors.Add<UnexpectedErrorInterceptor>();
    grpc.MaxReceiveMessageSize = 16 * 1024 * 1024;
})
    .AddServiceOptions<ConfigApiService>(service => service.MaxReceiveMessageSize = ApiBodyLimits.ManifestOverGrpc)
    .AddServiceOptions<SecurityApiService>(service => service.MaxReceiveMessageSize = ApiBodyLimits.Small)
    .AddServiceOptions<AuditApiService>(service => service.MaxReceiveMessageSize = ApiBodyLimits.Small)
    .AddServiceOptions<SecretApiService>(service => service.MaxReceiveMessageSize = ApiBodyLimits.Secret)
    // A CSR (also once decompressed); the caller is authenticated before it is read (WorkloadGate).
    .AddServiceOptions<CertificateSigningService>(service => service.MaxReceiveMessageSize = ApiBodyLimits.Small)
    .AddJsonTranscoding(json => json.TypeRegistry = ApiErrors.DetailTypes);

var telemetry = builder.Services.AddOpenTelemetry();
telemetry.WithMetrics(metrics => metrics
    .AddMeter(MeshMetrics.MeterName, XdsMetrics.Name, Mesh.Grains.Reconcile.ReconcileMetrics.MeterName, Mesh.Kubernetes.Source.SourceMetrics.MeterName, "Microsoft.Orleans")
    .AddAspNetCoreInstrumentation()
    .AddRuntimeInstrumentation()
    .AddPrometheusExporter());
telemetry.WithTracing(tracing => tracing
    .AddSource(MeshMetrics.MeterName, XdsMetrics.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
    .AddAspNetCoreInstrumentation());
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    telemetry.UseOtlpExporter();
}

var app = builder.Build();
foreach (var warning in accessWarnings) app.Logger.LogWarning("API users file: {Warning}", warning);
app.UsePortPartition(mesh);
app.UseMiddleware<ApiGate>();
app.UseMiddleware<WorkloadGate>();
app.MapGrpcService<ConfigApiService>();
app.MapGrpcService<SecurityApiService>();
app.MapGrpcService<CertificateSigningService>();
app.MapGrpcService<AuditApiService>();
app.MapGrpcService<SecretApiService>();
app.MapMeshXds();
app.MapMeshAdmission(mesh);
app.MapGet("/healthz", () => Results.Text("ok\n"));
app.MapGet("/readyz", (SiloReadiness readiness) => readiness.IsReady
    ? Results.Text("ready\n")
    : Results.Text("not ready: the silo has not joined its cluster\n", statusCode: StatusCodes.Status503ServiceUnavailable));
app.MapPrometheusScrapingEndpoint("/metrics");

app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "Mesh silo started: store {Store} ({Where}), management API {ApiAddress}:{ApiPort} (gRPC) and :{HttpPort} (HTTP/JSON){Auth}, xDS on {XdsAddress}:{XdsPort} and over mTLS on {SecureAddress}:{SecurePort}, metrics and health on {MonitoringAddress}:{MonitoringPort}",
    mesh.UsesRedis ? "redis" : "sqlite",
    mesh.UsesRedis ? mesh.Redis : Path.GetFullPath(mesh.DataDir),
    mesh.Api.Address, mesh.Api.Port, mesh.Api.HttpPort, users.IsOpen ? "" : $", bearer token required ({users.Count} users)",
    ListenAddress.IsLoopback(mesh.Xds.Address) ? mesh.Xds.Address : "(off: plaintext xDS is served on loopback only)", mesh.Xds.Port,
    mesh.Xds.SecureAddress, mesh.Xds.SecurePort,
    mesh.MonitoringAddress, mesh.MonitoringPort));

await app.RunAsync();
return 0;

using Mesh.Hosting.Logging;
using Mesh.Hosting;
using Mesh.Sidecar.Admin;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Mesh.Sidecar.Proxy.RateLimits;
using Mesh.Sidecar.Proxy.Gateway;
using Mesh.Sidecar.Security;
using Mesh.Sidecar.Telemetry;
using Mesh.Sidecar.Xds;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Mesh.Sidecar.Hosting;

/// <summary>Builds the sidecar: five listeners on one Kestrel (outbound and inbound speak HTTP/1.1 and h2c on the same
/// port), the xDS client, YARP, and telemetry. Requests are dispatched by the local port they arrived on. In gateway
/// mode the outbound and inbound listeners give way to the --listen ports, each a gateway listener.</summary>
public static class SidecarHost
{
    public static WebApplication Build(SidecarOptions options)
    {
        // No appsettings files to watch (the sidecar's settings are its flags and MESH_* variables): without this the
        // host watches the working directory recursively, which at a pod's "/" is every file of the image.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        // Escaped, one record per line: request paths and headers in log lines come from callers.
        builder.Logging.AddMeshConsole("HH:mm:ss.fff ", utc: false);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Hosting starts an Activity for every request when this logger is enabled at any level (for log scopes):
        // it logs nothing above Information, and the sidecar's own span continues the caller's trace.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AllowCleartextHttp2();
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            if (options.Gateway)
            {
                // Bound at start, like a pod's containerPorts; each serves the listener the control plane names for it.
                foreach (var (port, listener) in options.GatewayListeners)
                {
                    kestrel.Listen(System.Net.IPAddress.Any, port, listen => listen.UseGatewayListener(listener).UseHttp1AndCleartextHttp2());
                }
            }
            else
            {
                // Both read a captured connection's original destination first (mesh-sidecar capture redirects to them).
                // A captured connection that is not HTTP is passed through as bytes (after mTLS, inbound).
                Action<ListenOptions> outbound = listen => listen.UseOriginalDestination().UseCapturedTcp(inbound: false).UseHttp1AndCleartextHttp2();
                // In a pod (--address off loopback) ip6tables' REDIRECT sends captured IPv6 connections to [::1]: both
                // loopbacks then (Kestrel binds whichever of them the namespace has). Beside other sidecars on one
                // host, 127.0.0.1 alone, as before.
                if (System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(options.Address))) kestrel.Listen(Loopback(), options.OutboundPort, outbound);
                else kestrel.ListenLocalhost(options.OutboundPort, outbound);
                kestrel.Listen(System.Net.IPAddress.Parse(options.Address), options.InboundPort,
                    listen => listen.UseOriginalDestination().UseInboundTls(options.AppPort ?? 0).UseCapturedTcp(inbound: true, options.TcpPorts).UseHttp1AndCleartextHttp2());
            }
            kestrel.Listen(Loopback(), options.AdminPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(System.Net.IPAddress.Parse(options.Address), options.HealthPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(System.Net.IPAddress.Parse(options.Address), options.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
            if (options.SdsSocket is { } socket)
            {
                if (File.Exists(socket)) File.Delete(socket);
                kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<SidecarMetrics>();
        services.AddSingleton<Health.AppHealthEndpoint>();
        services.AddSingleton<YarpClusters>();
        services.AddSingleton<IProxyConfigProvider>(provider => provider.GetRequiredService<YarpClusters>());
        services.AddSingleton<IClusterSync>(provider => provider.GetRequiredService<YarpClusters>());
        services.AddSingleton<IPassiveHealthCheckPolicy, OutlierDetectionPolicy>();
        // Before YARP's own registration, which only adds its factory when none is there.
        services.AddSingleton<IForwarderHttpClientFactory, MeshHttpClientFactory>();
        services.AddReverseProxy();
        var validator = services.Last(d => d.ServiceType == typeof(IConfigValidator));
        services.Remove(validator);
        services.AddSingleton<IConfigValidator>(provider => new ValidatedOnce((IConfigValidator)ActivatorUtilities.CreateInstance(provider, validator.ImplementationType!)));
        // YARP's session affinity asks for data protection; the sidecar keeps no cookies across restarts, so keys live
        // in memory, and the hosted service that would load the on-disk key ring at start is not run.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        foreach (var preload in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            services.Remove(preload);
        }
        services.AddSingleton<WorkloadIdentity>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkloadIdentity>());
        services.AddSingleton<IInboundPolicy, InboundSecurity>();
        services.AddGrpc();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<ClusterRuntimes>();
        services.AddSingleton<OutlierDetector>();
        services.AddSingleton<Upstreams>();
        services.AddSingleton<OutboundHandler>();
        services.AddSingleton<InboundHandler>();
        services.AddSingleton<TcpPassthrough>();
        services.AddSingleton<GatewayHandler>();
        services.AddSingleton<LeaseChannel>();
        services.AddSingleton<ClusterLeases>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<ApiPolicyEnforcement>();
        services.AddSingleton<RequestTelemetry>();
        services.AddSingleton<AdminEndpoints>();
        services.AddSingleton(new AccessLog(options.AccessLog));
        services.AddHostedService(provider => provider.GetRequiredService<AccessLog>());
        services.AddSingleton<XdsClient>();
        services.AddHostedService(provider => provider.GetRequiredService<XdsClient>());
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mesh-sidecar", serviceInstanceId: options.NodeId))
            .WithMetrics(metrics => metrics
                .AddMeter(SidecarMetrics.MeterName)
                // .NET's own runtime metrics (GC heap and collections, allocations, thread pool, CPU, working set):
                // what the sidecar costs, on the same Prometheus endpoint.
                .AddMeter("System.Runtime")
                .AddView("istio_request_duration_milliseconds", new ExplicitBucketHistogramConfiguration { Boundaries = [.. SidecarMetrics.DurationBuckets] })
                .AddView("istio_request_bytes", new ExplicitBucketHistogramConfiguration { Boundaries = [.. SidecarMetrics.SizeBuckets] })
                .AddView("istio_response_bytes", new ExplicitBucketHistogramConfiguration { Boundaries = [.. SidecarMetrics.SizeBuckets] })
                // Every scrape fresh (the exporter caches one for 300 ms by default): meshctl top's rates divide by
                // the time between two scrapes, and a cached one would be older than it looks.
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing =>
            {
                tracing.AddSource(SidecarMetrics.Tracing.Name).SetSampler(new ParentBasedSampler(new AlwaysOnSampler(), localParentNotSampled: new AlwaysOnSampler()));
                if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 }) tracing.AddOtlpExporter();
            });

        var app = builder.Build();
        app.Services.GetRequiredService<YarpClusters>().Attach(app.Services.GetRequiredService<IProxyStateLookup>());
        var telemetry = app.Services.GetRequiredService<RequestTelemetry>();
        var outbound = app.Services.GetRequiredService<OutboundHandler>();
        var inbound = app.Services.GetRequiredService<InboundHandler>();
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        var gateway = app.Services.GetRequiredService<GatewayHandler>();
        var appHealth = app.Services.GetRequiredService<Health.AppHealthEndpoint>();
        var listenPorts = options.ListenPorts.ToHashSet();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null,
            predicate: context => context.Connection.LocalPort == options.MetricsPort && context.Request.Path.Value is "/stats/prometheus" or "/metrics",
            path: null, configureBranchedPipeline: null, optionsName: null);
        app.Use(async (context, next) =>
        {
            var port = context.Connection.LocalPort;
            if (listenPorts.Contains(port)) await telemetry.Run(context, outbound: true, gateway.Handle);
            else if (!options.Gateway && port == options.OutboundPort) await telemetry.Run(context, outbound: true, outbound.Handle);
            else if (!options.Gateway && port == options.InboundPort) await telemetry.Run(context, outbound: false, inbound.Handle);
            else if (port == options.AdminPort) await admin.Admin(context);
            else if (port == options.HealthPort && context.Request.Path.Value is Mesh.Config.Keys.AppHealth.ReadyPath or "/ready") await admin.Ready(context);
            else if (port == options.HealthPort && Health.AppHealthEndpoint.Serves(context.Request.Path.Value)) await appHealth.Handle(context);
            // Only the Unix socket (no IP address) reaches the endpoints: SDS serves the private key.
            else if (context.Connection.LocalIpAddress is null) await next(context);
            else context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        // Routing comes after the proxy, so proxied requests never pay for it; YARP's endpoints exist only so that YARP
        // loads its config (clusters and destinations).
        app.UseRouting();
        // Placed here, WebApplication does not put its own in front of every proxied request.
        app.UseAuthorization();
        app.MapReverseProxy();
        // Only on the Unix socket (the dispatch above answers every TCP port first).
        if (options.SdsSocket is not null) app.MapGrpcService<LocalSecretDiscovery>();
        if (options.SdsSocket is { } sdsSocket)
        {
            // The socket serves the workload's private key: its owner only.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(sdsSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            });
        }
        if (options.Gateway)
        {
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
                "mesh-sidecar gateway {Node}: listening on {Listen}, admin {Admin}, health {Health}, metrics {Metrics}; xDS {Xds}",
                options.NodeId, string.Join(',', options.ListenPorts), options.AdminPort, options.HealthPort, options.MetricsPort, string.Join(',', options.XdsServers)));
            return app;
        }
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "mesh-sidecar {Node}: outbound 127.0.0.1:{Outbound}, inbound {Address}:{Inbound} -> app {App}, admin {Admin}, health {Health}, metrics {Metrics}; xDS {Xds}",
            options.NodeId, options.OutboundPort, options.Address, options.InboundPort, options.AppPort?.ToString() ?? "none",
            options.AdminPort, options.HealthPort, options.MetricsPort, string.Join(',', options.XdsServers)));
        return app;
    }

    private static System.Net.IPAddress Loopback() => System.Net.IPAddress.Loopback;
}

using System.Text;
using System.Text.Json;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Mesh.Sidecar.Telemetry;
using Mesh.Sidecar.Xds;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Admin;

/// <summary>The admin port, as Envoy's: <c>/config_dump</c> (every resource received, with its version, as JSON, and
/// the last update refused), <c>/clusters</c> (endpoints with health and outlier state, as JSON), <c>/stats</c>
/// (counters as text), <c>/ready</c>. The health port answers <c>/healthz/ready</c>.</summary>
public sealed class AdminEndpoints(ConfigStore store, XdsClient xds, YarpClusters yarp, ClusterRuntimes runtimes, AccessLog accessLog, Security.WorkloadIdentity identity)
{
    public async Task Admin(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/config_dump":
                await Json(context, ConfigDump);
                break;
            case "/clusters":
                await Json(context, Clusters);
                break;
            case "/stats":
                await Text(context, 200, Stats());
                break;
            case "/certs":
                await Json(context, Certs);
                break;
            case "/ready":
                await Ready(context);
                break;
            default:
                await Text(context, 404, "admin: /config_dump /clusters /certs /stats /ready\n");
                break;
        }
    }

    /// <summary>The workload certificate (identity, serial, validity, issuer) and the trusted roots, as Envoy's /certs.</summary>
    private void Certs(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (identity.Current is { } current)
        {
            json.WriteString("identity", current.Identity.ToString());
            json.WriteString("serial_number", current.Leaf.SerialNumber.ToLowerInvariant());
            json.WriteString("issuer", current.Leaf.Issuer);
            json.WriteString("not_before", current.NotBefore);
            json.WriteString("not_after", current.NotAfter);
        }
        json.WriteStartArray("trusted_roots");
        foreach (var root in identity.Trust.Roots)
        {
            json.WriteStringValue(root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant());
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public Task Ready(HttpContext context) => store.Ready
        ? Text(context, 200, "LIVE\n")
        : Text(context, 503, "PRE_INITIALIZING: no config from the control plane yet\n");

    private void ConfigDump(Utf8JsonWriter json)
    {
        var resources = store.Current.Resources;
        json.WriteStartObject();
        json.WriteString("node", xds.NodeId);
        json.WriteString("xds_server", xds.ConnectedTo);
        json.WriteString("xds_protocol", xds.Delta ? "delta" : "state of the world");
        json.WriteStartObject("versions");
        foreach (var (type, version) in resources.TypeVersions) json.WriteString(TypeUrls.ShortName(type), version);
        json.WriteEndObject();
        if (store.LastRejection is { } rejected)
        {
            json.WriteStartObject("last_rejected");
            json.WriteString("type", TypeUrls.ShortName(rejected.Type));
            json.WriteString("error", rejected.Error);
            json.WriteString("at", rejected.At);
            json.WriteEndObject();
        }
        json.WriteStartObject("resources");
        foreach (var type in TypeUrls.PushOrder)
        {
            json.WriteStartArray(TypeUrls.ShortName(type));
            foreach (var resource in resources.Of(type).Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", resource.Name);
                json.WriteString("version", resource.Version);
                json.WritePropertyName("resource");
                json.WriteRawValue(XdsJson.Formatter.Format(resource.Message));
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteStartArray("missing");
        foreach (var (type, name) in resources.Missing.OrderBy(m => m.Name, StringComparer.Ordinal)) json.WriteStringValue($"{TypeUrls.ShortName(type)} {name}");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void Clusters(Utf8JsonWriter json)
    {
        json.WriteStartArray();
        foreach (var cluster in store.Current.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var runtime = runtimes.For(cluster.Name);
            var state = yarp.Find(cluster.Name);
            json.WriteStartObject();
            json.WriteString("name", cluster.Name);
            json.WriteString("lb_policy", cluster.LoadBalancer.ToString());
            json.WriteNumber("active_requests", runtime.ActiveRequests);
            json.WriteNumber("pending_requests", runtime.PendingRequests);
            json.WriteNumber("active_retries", runtime.ActiveRetries);
            json.WriteNumber("overflows", Interlocked.Read(ref runtime.Overflows));
            json.WriteStartObject("circuit_breakers");
            WriteLimit(json, "max_connections", cluster.Limits.MaxConnections);
            WriteLimit(json, "max_pending_requests", cluster.Limits.MaxPendingRequests);
            WriteLimit(json, "max_requests", cluster.Limits.MaxRequests);
            WriteLimit(json, "max_retries", cluster.Limits.MaxRetries);
            json.WriteEndObject();
            json.WriteBoolean("outlier_detection", cluster.Outlier is not null);
            json.WriteBoolean("active_health_check", cluster.HealthCheck is not null);
            json.WriteStartArray("endpoints");
            foreach (var endpoint in cluster.Endpoints)
            {
                var live = runtime.Endpoint(endpoint.Key);
                var destination = state?.Destinations.GetValueOrDefault(endpoint.Key);
                json.WriteStartObject();
                json.WriteString("address", endpoint.Key);
                json.WriteString("locality", endpoint.Locality);
                json.WriteNumber("weight", endpoint.Weight);
                json.WriteString("workload", endpoint.Workload);
                json.WriteString("health_active", destination?.Health.Active.ToString() ?? "Unknown");
                json.WriteString("health_passive", destination?.Health.Passive.ToString() ?? "Unknown");
                json.WriteBoolean("ejected", live.Ejected);
                if (live.Ejected) json.WriteString("ejected_until", live.EjectedUntil);
                json.WriteNumber("times_ejected", live.TimesEjected);
                json.WriteNumber("active_requests", Volatile.Read(ref live.Active));
                json.WriteNumber("requests", Interlocked.Read(ref live.Requests));
                json.WriteNumber("failures", Interlocked.Read(ref live.Failures));
                json.WriteNumber("consecutive_5xx", Volatile.Read(ref live.Consecutive5xx));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private string Stats()
    {
        var text = new StringBuilder();
        var model = store.Current;
        text.AppendLine($"xds.connected: {(xds.ConnectedTo is null ? 0 : 1)}");
        text.AppendLine($"xds.server: {xds.ConnectedTo ?? "-"}");
        foreach (var (type, version) in model.Resources.TypeVersions) text.AppendLine($"xds.{TypeUrls.ShortName(type)}.version: {version}");
        // What applying updates cost, in CPU on the applying thread (also mesh_sidecar_xds_apply_cpu_seconds).
        var cost = store.Cost;
        text.AppendLine($"xds.apply.count: {cost.Count}");
        text.AppendLine($"xds.apply.cpu_us: {Microseconds(cost.Cpu)}");
        text.AppendLine($"xds.apply.last_type: {cost.LastType ?? "-"}");
        text.AppendLine($"xds.apply.last_cpu_us: {Microseconds(cost.LastCpu)}");
        text.AppendLine($"listeners: {model.Listeners.Count}");
        text.AppendLine($"clusters: {model.Clusters.Count}");
        text.AppendLine($"access_log.dropped: {accessLog.Dropped}");
        foreach (var runtime in runtimes.All.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var prefix = $"cluster.{runtime.Name}";
            text.AppendLine($"{prefix}.upstream_rq_active: {runtime.ActiveRequests}");
            text.AppendLine($"{prefix}.upstream_rq_pending_active: {runtime.PendingRequests}");
            text.AppendLine($"{prefix}.upstream_rq_retry_active: {runtime.ActiveRetries}");
            text.AppendLine($"{prefix}.upstream_rq_overflow: {Interlocked.Read(ref runtime.Overflows)}");
            text.AppendLine($"{prefix}.upstream_rq_total: {runtime.Endpoints.Values.Sum(e => Interlocked.Read(ref e.Requests))}");
            text.AppendLine($"{prefix}.outlier_detection.ejections_total: {runtime.Endpoints.Values.Sum(e => e.TimesEjected)}");
        }
        return text.ToString();
    }

    private static string Microseconds(TimeSpan time) => time.TotalMicroseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteLimit(Utf8JsonWriter json, string name, int? limit)
    {
        if (limit is { } value) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    private static async Task Json(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        write(json);
        await json.FlushAsync();
    }

    private static async Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text);
    }
}

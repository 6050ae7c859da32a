using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Grains.Security;
using Mesh.Kubernetes.Injection;
using Mesh.Kubernetes.Source;
using Mesh.Silo.Kubernetes.Source;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Kubernetes.RootCert;

/// <summary>Keeps the root-cert ConfigMap (<see cref="InjectionSettings.RootCertConfigMap"/>, key
/// <see cref="RootCertPlan.Key"/>) in every namespace equal to the mesh CA's roots, which is what an injected sidecar
/// trusts the control plane by: written when a namespace appears, rewritten when the roots rotate, restored when
/// someone deletes or edits it. One silo does it (the lease <see cref="LeaseName"/>); it watches namespaces and, by a
/// field selector, only the ConfigMaps of that name, so its load does not grow with the cluster's other ConfigMaps.</summary>
public sealed partial class RootCertPublisher(
    k8s.Kubernetes client,
    SourceLeadership leadership,
    TrustStore trust,
    SourceMetrics metrics,
    IOptions<Hosting.MeshOptions> options,
    ILogger<RootCertPublisher> logger) : BackgroundService
{
    public const string LeaseName = "kubernetes-root-cert";

    /// <summary>A write that failed (a conflict with an edit, the API server away) is tried again after this.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private string ConfigMapName => options.Value.Admission.Injection.RootCertConfigMap;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.Lead(Publish, stoppingToken, LeaseName);

    private async Task Publish(CancellationToken leading)
    {
        var wake = new SemaphoreSlim(0);
        void Wake() { if (wake.CurrentCount == 0) wake.Release(); }
        var namespaces = new HeldObjects(Wake);
        var configMaps = new HeldObjects(Wake);
        var api = new ApiReader(client);
        var watches = new[]
        {
            new ResourceWatch(api, SourceKinds.Namespaces, namespaces, new WatchOptions(), metrics, logger).Run(leading),
            new ResourceWatch(api, new ApiResource("", "v1", "configmaps") { FieldSelector = $"metadata.name={ConfigMapName}" }, configMaps, new WatchOptions(), metrics, logger).Run(leading),
        };
        Action<TrustBundle> rotated = _ => Wake();
        trust.Changed += rotated;
        try
        {
            var retry = false;
            while (!leading.IsCancellationRequested)
            {
                try
                {
                    await wake.WaitAsync(retry ? RetryAfter : Timeout.InfiniteTimeSpan, leading);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (!namespaces.IsSynced || !configMaps.IsSynced) continue;
                var roots = (await trust.Bundle(leading)).Pem;
                var held = configMaps.Snapshot().ToDictionary(c => ApiObjects.Namespace(c), StringComparer.Ordinal);
                var failures = 0;
                foreach (var write in RootCertPlan.Writes(namespaces.Snapshot(), held, roots))
                {
                    if (!await Write(write, roots, leading)) failures++;
                }
                retry = failures > 0;
            }
        }
        finally
        {
            trust.Changed -= rotated;
            await Task.WhenAll(watches);
        }
    }

    private async Task<bool> Write(RootCertWrite write, string roots, CancellationToken cancellation)
    {
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName,
                NamespaceProperty = write.Namespace,
                ResourceVersion = write.ResourceVersion,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "mesh" },
            },
            Data = new Dictionary<string, string> { [RootCertPlan.Key] = roots },
        };
        try
        {
            if (write.ResourceVersion is null) await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, write.Namespace, cancellationToken: cancellation);
            else await client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, ConfigMapName, write.Namespace, cancellationToken: cancellation);
            LogWritten(logger, ConfigMapName, write.Namespace, write.ResourceVersion is null ? "created" : "restored to the mesh's roots");
            return true;
        }
        catch (k8s.Autorest.HttpOperationException refused) when (refused.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Someone wrote it (or the namespace went) since the watch told us: the watch brings the news, then we retry.
            return false;
        }
        catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            LogFailed(logger, ConfigMapName, write.Namespace, exception.Message);
            return false;
        }
    }

    /// <summary>The objects one watch holds, and whether its first list is in.</summary>
    private sealed class HeldObjects(Action changed) : IResourceObserver
    {
        private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public bool IsSynced { get; private set; }

        public IReadOnlyList<JsonObject> Snapshot()
        {
            lock (_lock) return [.. _objects.Values];
        }

        public Task Upserted(ApiResource resource, JsonObject obj, CancellationToken cancellation) => Change(() => _objects[ApiObjects.Key(obj)] = obj);

        public Task Deleted(ApiResource resource, JsonObject obj, CancellationToken cancellation) => Change(() => _objects.Remove(ApiObjects.Key(obj)));

        public Task Synced(ApiResource resource, string resourceVersion, CancellationToken cancellation) => Change(() => IsSynced = true);

        private Task Change(Action change)
        {
            lock (_lock) change();
            changed();
            return Task.CompletedTask;
        }
    }

    [LoggerMessage(EventId = 7701, Level = LogLevel.Information, Message = "ConfigMap {Name} in {Namespace} {What}")]
    private static partial void LogWritten(ILogger logger, string name, string @namespace, string what);

    [LoggerMessage(EventId = 7702, Level = LogLevel.Warning, Message = "Could not write ConfigMap {Name} in {Namespace}: {Error}")]
    private static partial void LogFailed(ILogger logger, string name, string @namespace, string error);
}

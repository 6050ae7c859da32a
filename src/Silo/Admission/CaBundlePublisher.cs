using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Admission;

/// <summary>Keeps the <c>caBundle</c> of the injector's MutatingWebhookConfiguration and the validator's
/// ValidatingWebhookConfiguration equal to the mesh CA's roots, so that the API server trusts the webhook port's
/// certificate: at start, when the roots change, and every <see cref="Recheck"/> (a configuration applied later, or
/// reset by a redeploy to an empty bundle, is filled in). Only a webhook whose bundle differs is patched, with a JSON
/// patch that first tests the webhook's name at that index, so a concurrent edit of the list fails it instead of
/// patching the wrong one. Runs only when the silo has a Kubernetes client.</summary>
public sealed partial class CaBundlePublisher(
    TrustStore trust,
    IOptions<Hosting.MeshOptions> options,
    ILogger<CaBundlePublisher> logger,
    IKubernetes? kubernetes = null) : BackgroundService
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (kubernetes is null) return;
        var changed = new SemaphoreSlim(0);
        trust.Changed += _ => changed.Release();
        var admission = options.Value.Admission;
        var registrations = kubernetes.AdmissionregistrationV1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var bundle = Convert.ToBase64String(Encoding.UTF8.GetBytes((await trust.Bundle(stoppingToken)).Pem));
                await Publish(admission.InjectorConfiguration, bundle,
                    async c => (await registrations.ReadMutatingWebhookConfigurationAsync(admission.InjectorConfiguration, cancellationToken: c)).Webhooks?.Select(w => (w.Name, w.ClientConfig?.CaBundle)),
                    (patch, c) => registrations.PatchMutatingWebhookConfigurationAsync(patch, admission.InjectorConfiguration, cancellationToken: c), stoppingToken);
                await Publish(admission.ValidatorConfiguration, bundle,
                    async c => (await registrations.ReadValidatingWebhookConfigurationAsync(admission.ValidatorConfiguration, cancellationToken: c)).Webhooks?.Select(w => (w.Name, w.ClientConfig?.CaBundle)),
                    (patch, c) => registrations.PatchValidatingWebhookConfigurationAsync(patch, admission.ValidatorConfiguration, cancellationToken: c), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await changed.WaitAsync(Recheck, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task Publish(
        string configuration,
        string bundle,
        Func<CancellationToken, Task<IEnumerable<(string Name, byte[]? CaBundle)>?>> read,
        Func<V1Patch, CancellationToken, Task> patch,
        CancellationToken cancellationToken)
    {
        try
        {
            var webhooks = (await read(cancellationToken))?.ToList() ?? [];
            var operations = new JsonArray();
            for (var i = 0; i < webhooks.Count; i++)
            {
                // KubernetesClient decodes caBundle to bytes (the PEM text itself).
                if (webhooks[i].CaBundle is { } current && Convert.ToBase64String(current) == bundle) continue;
                operations.Add(new JsonObject { ["op"] = "test", ["path"] = $"/webhooks/{i}/name", ["value"] = webhooks[i].Name });
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = $"/webhooks/{i}/clientConfig/caBundle", ["value"] = bundle });
            }
            if (operations.Count == 0) return;
            await patch(new V1Patch(operations.ToJsonString(), V1Patch.PatchType.JsonPatch), cancellationToken);
            LogPublished(logger, configuration, operations.Count / 2);
        }
        catch (k8s.Autorest.HttpOperationException notFound) when (notFound.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Not applied yet: checked again on the next round.
        }
        catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException or KubernetesException)
        {
            LogFailed(logger, configuration, exception.Message);
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "caBundle of {Configuration} set to the mesh CA's roots ({Webhooks} webhooks)")]
    private static partial void LogPublished(ILogger logger, string configuration, int webhooks);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "Could not update the caBundle of {Configuration}: {Error}")]
    private static partial void LogFailed(ILogger logger, string configuration, string error);
}

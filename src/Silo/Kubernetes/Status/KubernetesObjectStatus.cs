using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Mesh.Config.Kinds;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>The <c>status</c> subresource of one Kubernetes object of a Mesh kind: read, computed from what is there
/// (so that an unchanged condition keeps its transition time), and replaced with the read resourceVersion; a 409
/// (someone wrote in between) reads again.</summary>
public sealed class KubernetesObjectStatus(IKubernetes client)
{
    private const int ConflictAttempts = 5;

    /// <returns>The status now on the object; null when the object is gone.</returns>
    public async Task<JsonObject?> Write(ResourceKind kind, string @namespace, string name, Func<JsonObject?, JsonObject> compute, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            JsonObject current;
            try
            {
                current = JsonSerializer.SerializeToNode(await client.CustomObjects.GetNamespacedCustomObjectAsync(
                    kind.Group, kind.PreferredVersion, @namespace, kind.Plural, name, cancellationToken))!.AsObject();
            }
            catch (HttpOperationException notFound) when (notFound.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            var previous = current["status"] as JsonObject;
            var status = compute(previous);
            if (JsonNode.DeepEquals(previous, status)) return status;
            current["status"] = status;
            try
            {
                await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
                    current, kind.Group, kind.PreferredVersion, @namespace, kind.Plural, name, cancellationToken: cancellationToken);
                return status;
            }
            catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict && attempt < ConflictAttempts)
            {
            }
        }
    }
}

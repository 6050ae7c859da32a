using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Mesh.Config.Kinds;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>The <c>status</c> subresource of one Kubernetes object of a Mesh kind (namespaced or cluster-scoped): read, computed from what is there
/// (so that an unchanged condition keeps its transition time), and replaced with the read resourceVersion; a 409
/// (someone wrote in between) reads again.</summary>
public sealed class KubernetesObjectStatus(IKubernetes client)
{
    private const int ConflictAttempts = 5;

    /// <returns>The status now on the object; null when the object is gone.</returns>
    public Task<JsonObject?> Write(ResourceKind kind, string @namespace, string name, Func<JsonObject?, JsonObject> compute, CancellationToken cancellationToken) =>
        WriteFrom(kind, @namespace, name, current => Task.FromResult<JsonObject?>(compute(current["status"] as JsonObject)), cancellationToken);

    /// <summary>As above, with the status computed from the whole object as read (its spec too); a null status
    /// leaves the object as it is.</summary>
    /// <returns>The status now on the object; null when the object is gone (or has none and got none).</returns>
    public async Task<JsonObject?> WriteFrom(ResourceKind kind, string @namespace, string name, Func<JsonObject, Task<JsonObject?>> compute, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            JsonObject current;
            try
            {
                current = JsonSerializer.SerializeToNode(kind.ClusterScoped
                    ? await client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.PreferredVersion, kind.Plural, name, cancellationToken)
                    : await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.PreferredVersion, @namespace, kind.Plural, name, cancellationToken))!.AsObject();
            }
            catch (HttpOperationException notFound) when (notFound.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            var previous = current["status"] as JsonObject;
            if (await compute(current) is not { } status || JsonNode.DeepEquals(previous, status)) return previous;
            current["status"] = status;
            try
            {
                if (kind.ClusterScoped)
                {
                    await client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(current, kind.Group, kind.PreferredVersion, kind.Plural, name, cancellationToken: cancellationToken);
                }
                else
                {
                    await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
                        current, kind.Group, kind.PreferredVersion, @namespace, kind.Plural, name, cancellationToken: cancellationToken);
                }
                return status;
            }
            catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict && attempt < ConflictAttempts)
            {
            }
        }
    }
}

using System.Text.Json.Nodes;
using Mesh.Xds.Resources;

namespace Mesh.Kubernetes.Injection;

/// <summary>The injector, pure: a pod (as admitted), its namespace's labels and the settings in; the policy's verdict
/// and the RFC 6902 JSON Patch that adds the sidecar out. The patch works whether or not the pod already has
/// <c>initContainers</c>, <c>volumes</c> or annotations (adding an array or object where there is none, appending
/// where there is one).</summary>
public static class PodInjection
{
    public static InjectionResult Inject(JsonObject pod, string? requestNamespace, IReadOnlyDictionary<string, string> namespaceLabels, InjectionSettings settings)
    {
        PodFacts facts;
        try
        {
            facts = PodFacts.Read(pod, requestNamespace);
        }
        catch (PodFormatException unreadable)
        {
            // As Istio with failurePolicy Ignore: a pod the injector cannot read is admitted as it is, and said so.
            return new InjectionResult(InjectionDecision.Skip("the pod cannot be read"), null, [$"mesh sidecar not injected: {unreadable.Message}"]);
        }
        var decision = InjectionPolicy.Decide(facts, namespaceLabels);
        if (!decision.Injects) return new InjectionResult(decision, null, []);

        var probes = AppProbes.Rewrite(facts.Containers, settings.HealthPort);
        var patch = new JsonArray();
        foreach (var (pointer, probe) in probes.Rewritten) patch.Add(Operation("replace", pointer, probe));
        // After the app's own init containers, so that theirs still reach the network before capture is installed.
        Append(patch, facts.HasInitContainers, "/spec/initContainers", [SidecarTemplate.Capture(settings, probes.UncapturedPorts)]);
        Append(patch, true, "/spec/containers", [SidecarTemplate.Sidecar(facts, settings, probes.Probers)]);
        Append(patch, facts.HasVolumes, "/spec/volumes", SidecarTemplate.Volumes(settings));
        var status = new JsonObject
        {
            ["initContainers"] = new JsonArray(InjectionNames.CaptureContainer),
            ["containers"] = new JsonArray(InjectionNames.SidecarContainer),
            ["volumes"] = new JsonArray(InjectionNames.TokenVolume, InjectionNames.RootCertVolume),
        }.ToJsonString();
        patch.Add(facts.HasAnnotations
            ? Operation("add", JsonPointer.Of("metadata", "annotations", InjectionNames.StatusAnnotation), status)
            : Operation("add", "/metadata/annotations", new JsonObject { [InjectionNames.StatusAnnotation] = status }));
        // As Istio's injector: the label tells every client's sidecar that this pod accepts mTLS (the registry copies
        // pod labels onto its endpoints), so plain calls to it are upgraded without any DestinationRule.
        patch.Add(facts.HasLabels
            ? Operation("add", JsonPointer.Of("metadata", "labels", MeshIdentity.TlsModeLabel), TlsModes.Istio)
            : Operation("add", "/metadata/labels", new JsonObject { [MeshIdentity.TlsModeLabel] = TlsModes.Istio }));
        return new InjectionResult(decision, patch, probes.Warnings);
    }

    private static void Append(JsonArray patch, bool exists, string path, IReadOnlyList<JsonObject> items)
    {
        if (!exists)
        {
            patch.Add(Operation("add", path, new JsonArray([.. items])));
            return;
        }
        foreach (var item in items) patch.Add(Operation("add", path + "/-", item));
    }

    private static JsonObject Operation(string op, string path, JsonNode value) => new() { ["op"] = op, ["path"] = path, ["value"] = value };
}

/// <summary>The verdict, the patch when the pod is injected (else null), and what the API server should show the user.</summary>
public sealed record InjectionResult(InjectionDecision Decision, JsonArray? Patch, IReadOnlyList<string> Warnings);

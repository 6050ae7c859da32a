using System.Text.Json.Nodes;
using Mesh.Xds.Resources;

namespace Mesh.Kubernetes.Injection;

/// <summary>The injector, pure: a pod (as admitted), its namespace's labels and the settings in; the policy's verdict
/// and the RFC 6902 JSON Patch that adds the sidecar out, as the pod's Istio annotations tune it (<see cref="InjectionOverrides"/>). The patch works whether or not the pod already has
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

        var (overrides, refused) = InjectionOverrides.Read(facts.Annotations);
        // As Istio's injector: a pod whose annotations ask for something impossible is refused, not injected half-way.
        if (overrides is null) return new InjectionResult(decision, null, [], string.Join("; ", refused.Select(e => e.Message)));
        if (overrides.StatusPort is > 0 and var statusPort) settings = settings with { HealthPort = statusPort };

        var probes = AppProbes.Rewrite(facts.Containers, settings.HealthPort);
        var rewrite = overrides.RewriteProbes && overrides.StatusPort != 0;
        var patch = new JsonArray();
        // Before the sidecar is added: the pointers count the app's containers from 0.
        if (rewrite) foreach (var (pointer, probe) in probes.Rewritten) patch.Add(Operation("replace", pointer, probe));
        // After the app's own init containers, so that theirs still reach the network before capture is installed.
        if (overrides.Capture) Append(patch, facts.HasInitContainers, "/spec/initContainers", [SidecarTemplate.Capture(settings, overrides, probes.UncapturedPorts)]);
        var sidecar = SidecarTemplate.Sidecar(facts, settings, overrides, rewrite ? probes.Probers : []);
        if (overrides.HoldApplicationUntilProxyStarts) patch.Add(Operation("add", "/spec/containers/0", sidecar));
        else Append(patch, true, "/spec/containers", [sidecar]);
        Append(patch, facts.HasVolumes, "/spec/volumes", SidecarTemplate.Volumes(settings));
        var status = new JsonObject
        {
            ["initContainers"] = overrides.Capture ? new JsonArray(InjectionNames.CaptureContainer) : new JsonArray(),
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
        return new InjectionResult(decision, patch, [.. rewrite ? probes.Warnings : [], .. overrides.Warnings]);
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

/// <summary>The verdict, the patch when the pod is injected (else null), and what the API server should show the user;
/// <see cref="Refusal"/> when the pod is to be refused (every bad annotation, each with its field path), with no patch.</summary>
public sealed record InjectionResult(InjectionDecision Decision, JsonArray? Patch, IReadOnlyList<string> Warnings, string? Refusal = null);

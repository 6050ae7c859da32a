namespace Mesh.Kubernetes.Injection;

/// <summary>Whether a pod gets the sidecar, by Istio's documented rules: a <c>disabled</c> switch anywhere wins, then an
/// <c>enabled</c> one anywhere injects; no switch, no sidecar. The pod's label is read before its (deprecated)
/// annotation. Pods on the host's network and pods already injected are always left alone.</summary>
public static class InjectionPolicy
{
    public static InjectionDecision Decide(PodFacts pod, IReadOnlyDictionary<string, string> namespaceLabels)
    {
        if (pod.HostNetwork) return InjectionDecision.Skip("the pod uses the host's network");
        if (pod.AlreadyInjected) return InjectionDecision.Skip("the pod already has a sidecar");
        namespaceLabels.TryGetValue(InjectionNames.NamespaceLabel, out var namespaceSwitch);
        var podSwitch = pod.Labels.TryGetValue(InjectionNames.PodSwitch, out var label) ? label
            : pod.Annotations.TryGetValue(InjectionNames.PodSwitch, out var annotation) ? annotation
            : null;
        if (namespaceSwitch == "disabled") return InjectionDecision.Skip($"namespace label {InjectionNames.NamespaceLabel}=disabled");
        if (podSwitch is not null && GoBool(podSwitch) == false) return InjectionDecision.Skip($"{InjectionNames.PodSwitch}={podSwitch}");
        if (podSwitch is not null && GoBool(podSwitch) == true) return InjectionDecision.Inject($"{InjectionNames.PodSwitch}={podSwitch}");
        if (namespaceSwitch == "enabled") return InjectionDecision.Inject($"namespace label {InjectionNames.NamespaceLabel}=enabled");
        return InjectionDecision.Skip("neither the namespace nor the pod asks for injection");
    }

    /// <summary>A boolean as Istio reads its switches and boolean annotations (Go's strconv.ParseBool); null if neither.</summary>
    internal static bool? GoBool(string value) => value switch
    {
        "true" or "True" or "TRUE" or "1" or "t" or "T" => true,
        "false" or "False" or "FALSE" or "0" or "f" or "F" => false,
        _ => null,
    };
}

/// <summary>The policy's verdict and why, for the log.</summary>
public sealed record InjectionDecision(bool Injects, string Reason)
{
    public static InjectionDecision Inject(string reason) => new(true, reason);

    public static InjectionDecision Skip(string reason) => new(false, reason);
}

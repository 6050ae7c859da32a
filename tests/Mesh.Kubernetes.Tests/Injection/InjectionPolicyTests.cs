using Mesh.Kubernetes.Injection;

namespace Mesh.Kubernetes.Tests.Injection;

public sealed class InjectionPolicyTests
{
    /// <summary>Istio's documented table: disabled anywhere wins, then enabled anywhere injects, else nothing.</summary>
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("enabled", null, null, true)]
    [InlineData("disabled", null, null, false)]
    [InlineData(null, "true", null, true)]
    [InlineData(null, "false", null, false)]
    [InlineData("enabled", "false", null, false)]
    [InlineData("disabled", "true", null, false)]
    [InlineData("enabled", "true", null, true)]
    [InlineData(null, null, "true", true)]
    [InlineData("enabled", null, "false", false)]
    [InlineData(null, "false", "true", false)] // the label is read before the annotation
    [InlineData(null, "true", "false", true)]
    [InlineData("something", null, null, false)]
    public void Decide_FollowsIstiosPrecedence(string? namespaceLabel, string? podLabel, string? podAnnotation, bool injects)
    {
        var ns = namespaceLabel is null ? new Dictionary<string, string>() : new() { ["istio-injection"] = namespaceLabel };
        var pod = Pod(podLabel, podAnnotation);
        Assert.Equal(injects, InjectionPolicy.Decide(pod, ns).Injects);
    }

    [Fact]
    public void Decide_HostNetworkAndInjectedPods_AreLeftAlone()
    {
        var enabled = new Dictionary<string, string> { ["istio-injection"] = "enabled" };
        Assert.False(InjectionPolicy.Decide(Pod("true", null) with { HostNetwork = true }, enabled).Injects);
        var injected = InjectionPolicy.Decide(Pod("true", null) with { AlreadyInjected = true }, enabled);
        Assert.False(injected.Injects);
        Assert.Contains("already", injected.Reason);
    }

    private static PodFacts Pod(string? label, string? annotation) => new(
        "default", "default",
        label is null ? new Dictionary<string, string>() : new() { ["sidecar.istio.io/inject"] = label },
        annotation is null ? new Dictionary<string, string>() : new() { ["sidecar.istio.io/inject"] = annotation },
        HostNetwork: false, AlreadyInjected: false, Containers: [], HasInitContainers: false, HasVolumes: false, HasAnnotations: false, HasLabels: label is not null);
}

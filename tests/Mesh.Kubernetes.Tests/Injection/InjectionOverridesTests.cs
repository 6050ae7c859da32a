using Mesh.Kubernetes.Injection;

namespace Mesh.Kubernetes.Tests.Injection;

/// <summary>Istio's annotations read with Istio's meaning, and every bad one refused at its field path.</summary>
public sealed class InjectionOverridesTests
{
    [Fact]
    public void NoAnnotations_AreTheDefaultInjection()
    {
        var (overrides, errors) = InjectionOverrides.Read(new Dictionary<string, string>());
        Assert.Empty(errors);
        Assert.Null(overrides!.InboundPorts);
        Assert.Null(overrides.OutboundRanges);
        Assert.True(overrides.Capture && overrides.RewriteProbes && !overrides.HoldApplicationUntilProxyStarts);
    }

    [Theory]
    [InlineData("*", null)]
    [InlineData("", "")]
    [InlineData("9080, 9443,", "9080,9443")]
    public void IncludeInboundPorts_StarIsAll_EmptyIsNone_ElseTheList(string value, string? ports)
    {
        var overrides = Read((IstioAnnotations.IncludeInboundPorts, value));
        Assert.Equal(ports, overrides.InboundPorts is null ? null : string.Join(',', overrides.InboundPorts));
    }

    [Theory]
    [InlineData("*", null)]
    [InlineData("", "")]
    [InlineData("10.96.0.0/12,fd00::/8", "10.96.0.0/12,fd00::/8")]
    [InlineData("10.96.0.1/12", "10.96.0.0/12")] // host bits allowed, as Istio (Go's ParsePrefix) allows them
    public void IncludeOutboundIPRanges_StarIsAll_EmptyIsNone_ElseTheNetworks(string value, string? ranges)
    {
        var overrides = Read((IstioAnnotations.IncludeOutboundIPRanges, value));
        Assert.Equal(ranges, overrides.OutboundRanges is null ? null : string.Join(',', overrides.OutboundRanges));
    }

    [Fact]
    public void EverySupportedAnnotation_IsRead()
    {
        var overrides = Read(
            (IstioAnnotations.ExcludeInboundPorts, "22"),
            (IstioAnnotations.ExcludeOutboundIPRanges, "169.254.169.254/32"),
            (IstioAnnotations.IncludeOutboundPorts, "5432"),
            (IstioAnnotations.ExcludeOutboundPorts, "3306,6379"),
            (IstioAnnotations.InterceptionMode, "NONE"),
            (IstioAnnotations.RewriteAppHttpProbers, "false"),
            (IstioAnnotations.StatusPort, "15030"),
            (IstioAnnotations.ProxyCpu, "100m"),
            (IstioAnnotations.ProxyMemoryLimit, "1Gi"),
            (IstioAnnotations.LogLevel, "debug"),
            (IstioAnnotations.ProxyConfig, "holdApplicationUntilProxyStarts: true\n"));
        Assert.Equal([22], overrides.ExcludeInboundPorts);
        Assert.Equal("169.254.169.254/32", Assert.Single(overrides.ExcludeOutboundRanges).ToString());
        Assert.Equal([5432], overrides.IncludeOutboundPorts);
        Assert.Equal([3306, 6379], overrides.ExcludeOutboundPorts);
        Assert.False(overrides.Capture);
        Assert.False(overrides.RewriteProbes);
        Assert.Equal(15030, overrides.StatusPort);
        Assert.Equal("""{"requests":{"cpu":"100m"},"limits":{"memory":"1Gi"}}""", overrides.Resources!.ToJsonString());
        Assert.Equal("Debug", overrides.LogLevel);
        Assert.True(overrides.HoldApplicationUntilProxyStarts);
        Assert.Empty(overrides.Warnings);
    }

    [Fact]
    public void ProxyConfig_OtherFields_AreIgnoredWithAWarningNamingThem()
    {
        var overrides = Read((IstioAnnotations.ProxyConfig, "concurrency: 2\nholdApplicationUntilProxyStarts: false\ntracing: {sampling: 10}\n"));
        Assert.False(overrides.HoldApplicationUntilProxyStarts);
        Assert.Equal("metadata.annotations[proxy.istio.io/config]: Mesh ignores concurrency, tracing (of ProxyConfig it honours only holdApplicationUntilProxyStarts)",
            Assert.Single(overrides.Warnings));
    }

    [Theory]
    [InlineData(IstioAnnotations.ExcludeOutboundIPRanges, "10.0.0.0/33", "\"10.0.0.0/33\" is not a CIDR such as 10.96.0.0/12 or fd00::/8")]
    [InlineData(IstioAnnotations.IncludeOutboundIPRanges, "10.0.0.1", "\"10.0.0.1\" is not a CIDR such as 10.96.0.0/12 or fd00::/8")]
    [InlineData(IstioAnnotations.IncludeOutboundIPRanges, "10.1/16", "\"10.1/16\" is not a CIDR such as 10.96.0.0/12 or fd00::/8")]
    [InlineData(IstioAnnotations.IncludeInboundPorts, "9080,http", "\"http\" is not a port (1-65535)")]
    [InlineData(IstioAnnotations.ExcludeInboundPorts, "70000", "\"70000\" is not a port (1-65535)")]
    [InlineData(IstioAnnotations.ExcludeOutboundPorts, "*", "* is not allowed here; list the values")]
    [InlineData(IstioAnnotations.InterceptionMode, "TPROXY", "TPROXY interception is not supported by Mesh; leave the annotation out or use REDIRECT (or NONE for no capture)")]
    [InlineData(IstioAnnotations.InterceptionMode, "redirect", "\"redirect\" is not an interception mode (REDIRECT, TPROXY or NONE)")]
    [InlineData(IstioAnnotations.RewriteAppHttpProbers, "no", "\"no\" is not true or false")]
    [InlineData(IstioAnnotations.StatusPort, "-1", "\"-1\" is not a port (1-65535, or 0 for no status port)")]
    [InlineData(IstioAnnotations.ProxyCpu, "lots", "\"lots\" is not a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G")]
    [InlineData(IstioAnnotations.ProxyMemory, "-128Mi", "\"-128Mi\" is not a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G")]
    [InlineData(IstioAnnotations.ProxyMemoryLimit, "1GB", "\"1GB\" is not a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G")]
    [InlineData(IstioAnnotations.LogLevel, "verbose", "\"verbose\" is not a log level (trace, debug, info, warning, error, critical or off)")]
    public void BadValue_IsRefused_AtItsFieldPath(string annotation, string value, string reason)
    {
        var (overrides, errors) = InjectionOverrides.Read(new Dictionary<string, string> { [annotation] = value });
        Assert.Null(overrides);
        Assert.Equal($"metadata.annotations[{annotation}]: {reason}", Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData("holdApplicationUntilProxyStarts: yes please\n", "metadata.annotations[proxy.istio.io/config].holdApplicationUntilProxyStarts: \"yes please\" is not true or false")]
    [InlineData("holdApplicationUntilProxyStarts: [true\n", "metadata.annotations[proxy.istio.io/config]: not a ProxyConfig in YAML: ")]
    [InlineData("- holdApplicationUntilProxyStarts\n", "metadata.annotations[proxy.istio.io/config]: not a ProxyConfig in YAML: ")]
    public void ProxyConfig_Unreadable_IsRefused(string yaml, string error)
    {
        var (overrides, errors) = InjectionOverrides.Read(new Dictionary<string, string> { [IstioAnnotations.ProxyConfig] = yaml });
        Assert.Null(overrides);
        Assert.StartsWith(error, Assert.Single(errors).Message);
    }

    [Fact]
    public void EveryBadAnnotation_IsReported_NotOnlyTheFirst()
    {
        var (_, errors) = InjectionOverrides.Read(new Dictionary<string, string>
        {
            [IstioAnnotations.ExcludeOutboundIPRanges] = "10.0.0.0/33,nope",
            [IstioAnnotations.ProxyCpu] = "lots",
        });
        Assert.Equal(3, errors.Count);
    }

    private static InjectionOverrides Read(params (string Key, string Value)[] annotations)
    {
        var (overrides, errors) = InjectionOverrides.Read(annotations.ToDictionary(a => a.Key, a => a.Value));
        Assert.Empty(errors);
        return overrides!;
    }
}

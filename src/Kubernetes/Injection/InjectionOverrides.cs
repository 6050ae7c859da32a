using System.Net;
using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Injection;

/// <summary>What a pod's own Istio annotations (<see cref="IstioAnnotations"/>) change in its injection, read and
/// validated once with Istio's meaning. The defaults are an unannotated pod's injection.</summary>
public sealed record InjectionOverrides
{
    public static readonly InjectionOverrides None = new();

    /// <summary>Inbound ports captured: null is every port (<c>*</c>, the default), empty is none.</summary>
    public IReadOnlyList<int>? InboundPorts { get; init; }

    public IReadOnlyList<int> ExcludeInboundPorts { get; init; } = [];

    /// <summary>Outbound destinations captured: null is every one (<c>*</c>, the default), empty is none.</summary>
    public IReadOnlyList<IPNetwork>? OutboundRanges { get; init; }

    public IReadOnlyList<IPNetwork> ExcludeOutboundRanges { get; init; } = [];

    /// <summary>Outbound ports captured even outside the included ranges (an excluded range still wins).</summary>
    public IReadOnlyList<int> IncludeOutboundPorts { get; init; } = [];

    public IReadOnlyList<int> ExcludeOutboundPorts { get; init; } = [];

    /// <summary>False for interception mode NONE: no capture init container.</summary>
    public bool Capture { get; init; } = true;

    /// <summary>False when <c>rewriteAppHTTPProbers</c> is false: the app's probes stay as written.</summary>
    public bool RewriteProbes { get; init; } = true;

    /// <summary>The sidecar's health port; 0 is Istio's "no status port": no readiness probe on the sidecar and no
    /// probe rewriting (the sidecar keeps its default health port for itself).</summary>
    public int? StatusPort { get; init; }

    /// <summary>The sidecar container's <c>resources</c> (<c>requests</c> and <c>limits</c>), when any is asked.</summary>
    public JsonObject? Resources { get; init; }

    /// <summary>The sidecar's minimum log level, as .NET names it (<c>Debug</c>, <c>Information</c>, ...).</summary>
    public string? LogLevel { get; init; }

    /// <summary>ProxyConfig's <c>holdApplicationUntilProxyStarts</c>: the sidecar first, its postStart waiting for ready.</summary>
    public bool HoldApplicationUntilProxyStarts { get; init; }

    /// <summary>What the user should hear about but is no reason to refuse the pod (ProxyConfig fields Mesh ignores).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The overrides, or every annotation that is wrong (each a <see cref="PodFormatException"/> whose path is
    /// <c>metadata.annotations[KEY]</c>); annotations of other meaning are not looked at.</summary>
    public static (InjectionOverrides? Overrides, IReadOnlyList<PodFormatException> Errors) Read(IReadOnlyDictionary<string, string> annotations)
    {
        var errors = new List<PodFormatException>();
        var read = new AnnotationReader(annotations, errors);
        var mode = read.Value<string>(IstioAnnotations.InterceptionMode, text => text switch
        {
            "REDIRECT" or "NONE" => (text, null),
            "TPROXY" => (null, "TPROXY interception is not supported by Mesh; leave the annotation out or use REDIRECT (or NONE for no capture)"),
            _ => (null, $"\"{text}\" is not an interception mode (REDIRECT, TPROXY or NONE)"),
        });
        var statusPort = read.Value<int?>(IstioAnnotations.StatusPort, text => Mesh.Config.Text.PortNumber.Parse(text, allowZero: true) is { } port
            ? (port, null) : ((int?)null, $"\"{text}\" is not a port (1-65535, or 0 for no status port)"));
        var (hold, warnings) = ProxyConfigAnnotation.Read(annotations, errors);
        var overrides = new InjectionOverrides
        {
            InboundPorts = read.Ports(IstioAnnotations.IncludeInboundPorts, star: true),
            ExcludeInboundPorts = read.Ports(IstioAnnotations.ExcludeInboundPorts, star: false) ?? [],
            OutboundRanges = read.Ranges(IstioAnnotations.IncludeOutboundIPRanges, star: true),
            ExcludeOutboundRanges = read.Ranges(IstioAnnotations.ExcludeOutboundIPRanges, star: false) ?? [],
            IncludeOutboundPorts = read.Ports(IstioAnnotations.IncludeOutboundPorts, star: false) ?? [],
            ExcludeOutboundPorts = read.Ports(IstioAnnotations.ExcludeOutboundPorts, star: false) ?? [],
            Capture = mode != "NONE",
            RewriteProbes = read.Value<bool?>(IstioAnnotations.RewriteAppHttpProbers, text => InjectionPolicy.GoBool(text) is { } on
                ? (on, null) : ((bool?)null, $"\"{text}\" is not true or false")) ?? true,
            StatusPort = statusPort,
            Resources = ReadResources(read),
            LogLevel = read.Value<string>(IstioAnnotations.LogLevel, text => AnnotationValues.LogLevel(text) is { } level
                ? (level, null) : (null, $"\"{text}\" is not a log level (trace, debug, info, warning, error, critical or off)")),
            HoldApplicationUntilProxyStarts = hold,
            Warnings = warnings,
        };
        return (errors.Count == 0 ? overrides : null, errors);
    }

    private static JsonObject? ReadResources(AnnotationReader read)
    {
        JsonObject? Part(string cpu, string memory)
        {
            var part = new JsonObject();
            foreach (var (annotation, resource) in new[] { (cpu, "cpu"), (memory, "memory") })
            {
                var quantity = read.Value<string>(annotation, text => AnnotationValues.IsQuantity(text)
                    ? (text, null) : (null, $"\"{text}\" is not a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G"));
                if (quantity is not null) part[resource] = quantity;
            }
            return part.Count > 0 ? part : null;
        }
        var resources = new JsonObject();
        if (Part(IstioAnnotations.ProxyCpu, IstioAnnotations.ProxyMemory) is { } requests) resources["requests"] = requests;
        if (Part(IstioAnnotations.ProxyCpuLimit, IstioAnnotations.ProxyMemoryLimit) is { } limits) resources["limits"] = limits;
        return resources.Count > 0 ? resources : null;
    }
}

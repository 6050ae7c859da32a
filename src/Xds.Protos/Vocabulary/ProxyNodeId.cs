namespace Mesh.Xds.Resources;

/// <summary>A proxy's xDS node id in Istio's shape, <c>TYPE~IP~WORKLOAD.NAMESPACE~NAMESPACE.DOMAIN</c>
/// (<c>sidecar~10.0.0.1~reviews-v1.bookinfo~bookinfo.svc.cluster.local</c>; TYPE <c>router</c> for a gateway): the
/// sidecar formats it, the control plane parses it (node binding, entitlements) and meshctl reads gateways from it.</summary>
/// <param name="Domain">What follows the namespace in the last part: <c>svc.cluster.local</c>.</param>
public sealed record ProxyNodeId(string Type, string Address, string Workload, string Namespace, string Domain)
{
    public const string Sidecar = "sidecar";
    /// <summary>Istio's type for a gateway.</summary>
    public const string Router = "router";
    private const char Separator = '~';
    private const string Shape = "TYPE~IP~WORKLOAD.NAMESPACE~NAMESPACE.svc.DOMAIN";

    public bool IsRouter => Type == Router;

    public override string ToString() => $"{Type}{Separator}{Address}{Separator}{Workload}.{Namespace}{Separator}{Namespace}.{Domain}";

    /// <summary>Whether <paramref name="text"/> says it is a sidecar's or a router's id (it may still be malformed):
    /// other ids (a plain gRPC client's) are not in Istio's shape and claim no workload.</summary>
    public static bool Claims(string? text) =>
        text is not null && (text.StartsWith(Sidecar + Separator, StringComparison.Ordinal) || text.StartsWith(Router + Separator, StringComparison.Ordinal));

    public static bool TryParse(string? text, out ProxyNodeId id) => Parse(text, out id) is null;

    /// <summary>Parses <paramref name="text"/>; returns null when it is a node id in Istio's shape, otherwise why not
    /// (and <paramref name="id"/> is empty).</summary>
    public static string? Parse(string? text, out ProxyNodeId id)
    {
        id = new ProxyNodeId("", "", "", "", "");
        if (string.IsNullOrEmpty(text)) return $"is empty; expected {Shape}";
        var parts = text.Split(Separator);
        if (parts.Length != 4) return $"has {parts.Length} '{Separator}'-separated part(s), not 4 ({Shape})";
        var (type, address, workloadPart, domainPart) = (parts[0], parts[1], parts[2], parts[3]);
        if (type is not (Sidecar or Router)) return $"type '{type}' is neither {Sidecar} nor {Router}";
        if (address.Length == 0) return "has no IP address (its second part)";
        var dot = domainPart.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == domainPart.Length - 1) return $"last part '{domainPart}' is not NAMESPACE.svc.DOMAIN";
        var @namespace = domainPart[..dot];
        var suffix = "." + @namespace;
        if (workloadPart.Length <= suffix.Length || !workloadPart.EndsWith(suffix, StringComparison.Ordinal))
        {
            return $"third part '{workloadPart}' is not WORKLOAD.{@namespace} (the namespace of its last part)";
        }
        id = new ProxyNodeId(type, address, workloadPart[..^suffix.Length], @namespace, domainPart[(dot + 1)..]);
        return null;
    }
}

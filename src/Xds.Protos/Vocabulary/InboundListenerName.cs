namespace Mesh.Xds.Resources;

/// <summary>A workload's inbound listener name, <c>virtualInbound|NAMESPACE|WORKLOAD</c>: one listener per workload, so
/// that it is cached and pushed like any other resource, and subscribed to only by that workload's proxy. The
/// control plane serves it; the sidecar asks for its own.</summary>
public static class InboundListenerName
{
    public const string Prefix = "virtualInbound|";

    public static string Of(string @namespace, string workload) => $"{Prefix}{@namespace}|{workload}";

    public static bool IsInbound(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string name, out string @namespace, out string workload)
    {
        @namespace = workload = "";
        if (!IsInbound(name)) return false;
        var parts = name[Prefix.Length..].Split('|');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        (@namespace, workload) = (parts[0], parts[1]);
        return true;
    }
}

namespace Mesh.Grains.Services;

/// <summary>Istio's host-name rules: a short name is a Kubernetes service in the resource's namespace.</summary>
public static class HostName
{
    public const string ClusterDomain = "svc.cluster.local";

    /// <summary><c>reviews</c> in <c>bookinfo</c> → <c>reviews.bookinfo.svc.cluster.local</c>; names with a dot stay as they are.</summary>
    public static string Qualify(string host, string @namespace) =>
        host.Contains('.') || host.Contains('*') ? host : $"{host}.{@namespace}.{ClusterDomain}";
}

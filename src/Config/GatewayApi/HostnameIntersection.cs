namespace Mesh.Config.GatewayApi;

/// <summary>How a listener's hostname and a route's hostnames combine (HTTPRoute <c>spec.hostnames</c>): the hosts the
/// route serves on that listener. A wildcard <c>*.example.com</c> stands for one or more labels before example.com.</summary>
public static class HostnameIntersection
{
    /// <summary>The route's hosts on the listener: empty when they do not meet; <c>*</c> when neither names one.</summary>
    public static IReadOnlyList<string> Of(string? listener, IReadOnlyList<string> route)
    {
        if (route.Count == 0) return [listener ?? "*"];
        if (listener is null) return route;
        var hosts = new List<string>();
        foreach (var host in route)
        {
            if (host == listener || Covers(listener, host)) hosts.Add(host);
            else if (Covers(host, listener)) hosts.Add(listener);
        }
        return [.. hosts.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the wildcard <paramref name="pattern"/> covers <paramref name="host"/> (a name or a narrower wildcard).</summary>
    public static bool Covers(string pattern, string host)
        => pattern.StartsWith("*.", StringComparison.Ordinal) && host.Length > pattern.Length - 1
           && host.EndsWith(pattern[1..], StringComparison.Ordinal) && host != pattern;
}

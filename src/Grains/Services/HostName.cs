using Mesh.Config.Validation.Rules;

namespace Mesh.Grains.Services;

/// <summary>Istio's host-name rules, as the grains use them (one rule: <see cref="HostNames"/>).</summary>
public static class HostName
{
    public static string Qualify(string host, string @namespace) => HostNames.Qualify(host, @namespace);
}

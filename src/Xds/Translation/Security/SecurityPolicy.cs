using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Config.Views.Security;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>A stored security resource, its key taken apart, with its typed view.</summary>
internal sealed record SecurityPolicy<TView>(string Namespace, string Name, TView View);

/// <summary>The security kinds, and stored resources of those kinds (key <c>Kind/namespace/name</c>) read as views.</summary>
internal static class SecurityPolicy
{
    public static string KindOf(ConfigSpec config) => ResourceKey.Parse(config.Key).Kind;

    public static SecurityPolicy<AuthorizationPolicyView> Authorization(ConfigSpec config) => new(config.Namespace, NameOf(config), SpecViews.AuthorizationPolicy(config));

    public static SecurityPolicy<RequestAuthenticationView> Authentication(ConfigSpec config) => new(config.Namespace, NameOf(config), SpecViews.RequestAuthentication(config));

    public static SecurityPolicy<PeerAuthenticationView> Peer(ConfigSpec config) => new(config.Namespace, NameOf(config), SpecViews.PeerAuthentication(config));

    /// <summary>The workloads a policy of a security kind names; null for any other kind.</summary>
    public static WorkloadSelection? SelectionOf(ConfigSpec config) => KindOf(config) switch
    {
        KindNames.AuthorizationPolicy => SpecViews.AuthorizationPolicy(config).Selection,
        KindNames.RequestAuthentication => SpecViews.RequestAuthentication(config).Selection,
        KindNames.PeerAuthentication => SpecViews.PeerAuthentication(config).Selection,
        _ => null,
    };

    private static string NameOf(ConfigSpec config) => ResourceKey.Parse(config.Key).Name;
}

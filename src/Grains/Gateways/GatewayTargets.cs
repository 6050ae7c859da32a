using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Grains.Gateways;

/// <summary>The gateway grains a VirtualService's derived state goes to, as the keys of the Gateways its
/// <c>gateways:</c> names (<c>Gateway/namespace/name</c>). They travel with the service hosts in a config grain's
/// reached targets; a host never holds a <c>/</c>, a key always does.</summary>
public static class GatewayTargets
{
    public static IEnumerable<string> Of(VirtualServiceView view, string @namespace) => view.GatewayRefs(@namespace).Select(reference =>
    {
        var slash = reference.IndexOf('/');
        return ResourceKey.Of(KindNames.Gateway, reference[..slash], reference[(slash + 1)..]);
    });

    public static bool Is(string target) => target.Contains('/');
}

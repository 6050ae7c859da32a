using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.Security;
using Mesh.Config.Views.VirtualServices;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation;

/// <summary>The typed view of each spec that reaches this silo as JSON (in a service model, or from the policy source),
/// built the first time a translator asks for it and kept as long as that <see cref="ConfigSpec"/> lives. A changed
/// resource arrives as a new ConfigSpec, so each version is parsed once, then shared by every port, resource type and
/// proxy that translates from it.</summary>
internal static class SpecViews
{
    private static readonly ConditionalWeakTable<ConfigSpec, VirtualServiceView> VirtualServices = new();
    private static readonly ConditionalWeakTable<ConfigSpec, DestinationRuleView> DestinationRules = new();
    private static readonly ConditionalWeakTable<ConfigSpec, AuthorizationPolicyView> AuthorizationPolicies = new();
    private static readonly ConditionalWeakTable<ConfigSpec, RequestAuthenticationView> RequestAuthentications = new();
    private static readonly ConditionalWeakTable<ConfigSpec, PeerAuthenticationView> PeerAuthentications = new();

    public static VirtualServiceView VirtualService(ConfigSpec spec) => VirtualServices.GetValue(spec, s => VirtualServiceView.From(Parse(s)));

    public static DestinationRuleView DestinationRule(ConfigSpec spec) => DestinationRules.GetValue(spec, s => DestinationRuleView.From(Parse(s)));

    public static AuthorizationPolicyView AuthorizationPolicy(ConfigSpec spec)
        => AuthorizationPolicies.GetValue(spec, s => AuthorizationPolicyView.From(Parse(s)));

    public static RequestAuthenticationView RequestAuthentication(ConfigSpec spec)
        => RequestAuthentications.GetValue(spec, s => RequestAuthenticationView.From(Parse(s)));

    public static PeerAuthenticationView PeerAuthentication(ConfigSpec spec)
        => PeerAuthentications.GetValue(spec, s => PeerAuthenticationView.From(Parse(s)));

    /// <summary>The spec was validated before it was stored.</summary>
    private static JsonObject Parse(ConfigSpec spec) => JsonNode.Parse(spec.SpecJson) as JsonObject ?? [];
}

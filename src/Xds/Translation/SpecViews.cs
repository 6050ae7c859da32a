using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.Security;
using Mesh.Config.Views.VirtualServices;
using Mesh.Grains.GatewayApi;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation;

/// <summary>The typed view of each spec that reaches this silo as JSON (in a service model, or from the policy source),
/// built the first time a translator asks for it and kept per resource until its spec text changes: a model pushed
/// again for an endpoint change carries the same text, so each version of a spec is parsed once on this silo, then
/// shared by every port, resource type and proxy that translates from it. (A deleted resource's last view stays
/// until a resource of that key comes back: bounded by the resources the silo has seen.)</summary>
internal static class SpecViews
{
    private static readonly Views<VirtualServiceView> VirtualServices = new(VirtualServiceView.From);
    private static readonly Views<DestinationRuleView> DestinationRules = new(DestinationRuleView.From);
    private static readonly Views<GatewayView> Gateways = new(GatewayView.From);
    private static readonly Views<AuthorizationPolicyView> AuthorizationPolicies = new(AuthorizationPolicyView.From);
    private static readonly Views<RequestAuthenticationView> RequestAuthentications = new(RequestAuthenticationView.From);
    private static readonly Views<PeerAuthenticationView> PeerAuthentications = new(PeerAuthenticationView.From);
    private static readonly Views<GatewayView> ConvertedGateways = new(ConvertedViews.Gateway);
    private static readonly Views<VirtualServiceView> ConvertedVirtualServices = new(ConvertedViews.VirtualService);
    private static readonly Views<ApiPolicyView> ApiPolicies = new(ApiPolicyView.From);

    public static VirtualServiceView VirtualService(ConfigSpec spec) => VirtualServices.Of(spec);

    public static DestinationRuleView DestinationRule(ConfigSpec spec) => DestinationRules.Of(spec);

    public static GatewayView Gateway(ConfigSpec spec) => Gateways.Of(spec);

    public static AuthorizationPolicyView AuthorizationPolicy(ConfigSpec spec) => AuthorizationPolicies.Of(spec);

    public static RequestAuthenticationView RequestAuthentication(ConfigSpec spec) => RequestAuthentications.Of(spec);

    public static PeerAuthenticationView PeerAuthentication(ConfigSpec spec) => PeerAuthentications.Of(spec);

    /// <summary>A converted Gateway API Gateway (its views in <see cref="ConvertedViews"/>' form, not a spec).</summary>
    public static GatewayView ConvertedGateway(ConfigSpec spec) => ConvertedGateways.Of(spec);

    public static VirtualServiceView ConvertedVirtualService(ConfigSpec spec) => ConvertedVirtualServices.Of(spec);

    public static ApiPolicyView ApiPolicy(ConfigSpec spec) => ApiPolicies.Of(spec);

    private sealed class Views<TView>(Func<string, TView> build)
    {
        // The spec was validated before it was stored.
        public Views(Func<JsonObject, TView> fromSpec) : this(json => fromSpec(JsonNode.Parse(json) as JsonObject ?? [])) { }

        private readonly ConcurrentDictionary<string, (string Json, TView View)> _byKey = new(StringComparer.Ordinal);

        public TView Of(ConfigSpec spec)
        {
            if (_byKey.TryGetValue(spec.Key, out var known) && string.Equals(known.Json, spec.SpecJson, StringComparison.Ordinal)) return known.View;
            var view = build(spec.SpecJson);
            _byKey[spec.Key] = (spec.SpecJson, view);
            return view;
        }
    }
}

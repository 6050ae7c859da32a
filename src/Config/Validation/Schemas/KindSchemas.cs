using Mesh.Config.Kinds;
using Mesh.Config.Validation.Fields;

namespace Mesh.Config.Validation.Schemas;

/// <summary>The spec schema of each kind Mesh serves.</summary>
internal static class KindSchemas
{
    private static readonly Dictionary<string, ObjectSchema> ByKind = new(StringComparer.Ordinal)
    {
        [ResourceKinds.ServiceEntry.Kind] = ServiceEntrySchema.Spec,
        [ResourceKinds.WorkloadEntry.Kind] = WorkloadEntrySchema.Spec,
        [ResourceKinds.WorkloadGroup.Kind] = WorkloadGroupSchema.Spec,
        [ResourceKinds.VirtualService.Kind] = VirtualServiceSchema.Spec,
        [ResourceKinds.DestinationRule.Kind] = DestinationRuleSchema.Spec,
        [ResourceKinds.Gateway.Kind] = GatewaySchema.Spec,
        [ResourceKinds.Sidecar.Kind] = SidecarSchema.Spec,
        [ResourceKinds.PeerAuthentication.Kind] = PeerAuthenticationSchema.Spec,
        [ResourceKinds.AuthorizationPolicy.Kind] = AuthorizationPolicySchema.Spec,
        [ResourceKinds.RequestAuthentication.Kind] = RequestAuthenticationSchema.Spec,
        [ResourceKinds.GatewayClass.Kind] = GatewayApiGatewaySchema.GatewayClassSpec,
        [ResourceKinds.GatewayApiGateway.Kind] = GatewayApiGatewaySchema.GatewaySpec,
        [ResourceKinds.HttpRoute.Kind] = GatewayApiHttpRouteSchema.Spec,
        [ResourceKinds.GrpcRoute.Kind] = GatewayApiGrpcRouteSchema.Spec,
        [ResourceKinds.ReferenceGrant.Kind] = GatewayApiReferenceGrantSchema.Spec,
        [ResourceKinds.ApiPolicy.Kind] = ApiPolicySchema.Spec,
    };

    public static ObjectSchema For(ResourceKind kind) => ByKind[kind.Kind];
}

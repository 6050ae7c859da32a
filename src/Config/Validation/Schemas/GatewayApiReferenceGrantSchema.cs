using Mesh.Config.Validation.Fields;
using static Mesh.Config.Validation.Fields.Schema;
using static Mesh.Config.Validation.Schemas.GatewayApiCommon;

namespace Mesh.Config.Validation.Schemas;

/// <summary>gateway.networking.k8s.io ReferenceGrant: which kinds in which namespaces may refer to kinds in this one.</summary>
internal static class GatewayApiReferenceGrantSchema
{
    public static ObjectSchema Spec { get; } = Obj(
            ("from", MaxItems(List(Obj(("group", GroupName), ("kind", KindName), ("namespace", Namespace)).Require("group", "kind", "namespace"))
                .NonEmpty("a ReferenceGrant needs at least one from"), 16)),
            ("to", MaxItems(List(Obj(("group", GroupName), ("kind", KindName), ("name", ObjectName)).Require("group", "kind"))
                .NonEmpty("a ReferenceGrant needs at least one to"), 16)))
        .Require("from", "to");
}

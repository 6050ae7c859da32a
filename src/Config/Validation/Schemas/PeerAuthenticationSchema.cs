using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>security.istio.io PeerAuthentication: whether workloads accept plaintext, mTLS, or both.</summary>
internal static class PeerAuthenticationSchema
{
    private static readonly ObjectSchema Mtls = Obj(("mode", Enum("UNSET", "DISABLE", "PERMISSIVE", "STRICT")));

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.MatchLabelsSelector),
            ("mtls", Mtls),
            ("portLevelMtls", Map(Mtls, PortKey)))
        .Rule(CheckPortLevel);

    private static string? PortKey(string key)
        => int.TryParse(key, out var port) && port is >= 1 and <= 65535 && key == port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? null
            : "must be a port number 1-65535";

    private static void CheckPortLevel(JsonObject spec, string path, Problems problems)
    {
        if (spec["portLevelMtls"] is JsonObject { Count: > 0 } && spec["selector"] is null)
        {
            problems.Error(FieldPath.Field(path, "portLevelMtls"), "portLevelMtls needs a selector: a port means nothing without the workloads it belongs to");
        }
    }
}

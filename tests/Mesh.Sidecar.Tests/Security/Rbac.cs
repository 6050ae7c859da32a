using Envoy.Config.Rbac.V3;
using Google.Protobuf;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>RBAC filter configs as Envoy receives them, written in Envoy's JSON.</summary>
internal static class Rbac
{
    public static T Parse<T>(string json) where T : IMessage, new() => JsonParser.Default.Parse<T>(json);

    /// <summary>One filter whose only policy is "p" with the given permission and principal.</summary>
    public static HttpRbac Filter(RBAC.Types.Action action, string permission = """{"any": true}""", string principal = """{"any": true}""", string policy = "p")
        => new() { Rules = Rules(action, (policy, permission, principal)) };

    public static RBAC Rules(RBAC.Types.Action action, params (string Name, string Permission, string Principal)[] policies)
    {
        var rules = new RBAC { Action = action };
        foreach (var (name, permission, principal) in policies)
        {
            rules.Policies[name] = new Policy { Permissions = { Parse<Permission>(permission) }, Principals = { Parse<Principal>(principal) } };
        }
        return rules;
    }
}

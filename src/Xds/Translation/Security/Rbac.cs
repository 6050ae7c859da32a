using Envoy.Config.Rbac.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>The two instances of <see cref="RbacAlgebra{T}"/>.</summary>
internal static class Rbac
{
    public static RbacAlgebra<Principal> Principals { get; } = new(
        () => new Principal { Any = true },
        ids => new Principal { AndIds = new Principal.Types.Set { Ids = { ids } } },
        ids => new Principal { OrIds = new Principal.Types.Set { Ids = { ids } } },
        id => new Principal { NotId = id });

    public static RbacAlgebra<Permission> Permissions { get; } = new(
        () => new Permission { Any = true },
        rules => new Permission { AndRules = new Permission.Types.Set { Rules = { rules } } },
        rules => new Permission { OrRules = new Permission.Types.Set { Rules = { rules } } },
        rule => new Permission { NotRule = rule });
}

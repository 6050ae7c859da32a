using Mesh.Config.Views;

namespace Mesh.Config.GatewayApi;

/// <summary>The ReferenceGrants of the store: whether a reference from one namespace into another is permitted.</summary>
public sealed class ReferenceGrants(IReadOnlyList<GatewayApiObject> grants)
{
    /// <summary>Whether a <paramref name="fromKind"/> in <paramref name="fromNamespace"/> may refer to the
    /// <paramref name="toKind"/> <paramref name="toName"/> in <paramref name="toNamespace"/>. A reference within one
    /// namespace needs no grant.</summary>
    public bool Permit(string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName)
    {
        if (fromNamespace == toNamespace) return true;
        return grants.Where(g => g.Namespace == toNamespace).Any(g =>
            g.Spec.Objects("from").Any(f => f.Str("group") == GatewayApiNames.Group && f.Str("kind") == fromKind && f.Str("namespace") == fromNamespace)
            && g.Spec.Objects("to").Any(t => (t.Str("group") ?? "") == toGroup && t.Str("kind") == toKind && (t.Str("name") is not { } name || name == toName)));
    }
}

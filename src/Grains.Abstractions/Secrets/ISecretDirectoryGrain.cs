namespace Mesh.Grains.Secrets;

/// <summary>The credentials of one namespace (key: the namespace), as <see cref="SecretInfo"/> only, so that a
/// listing is one call per namespace and holds no key. The key <see cref="Namespaces"/> instead lists the namespaces
/// that have had any.</summary>
[Alias("mesh.ISecretDirectoryGrain")]
public interface ISecretDirectoryGrain : IGrainWithStringKey
{
    public const string Namespaces = "*";

    [Alias("Set")] Task Set(SecretInfo info);

    [Alias("Remove")] Task Remove(string name);

    [Alias("List")] Task<IReadOnlyList<SecretInfo>> List();

    /// <summary>On the <see cref="Namespaces"/> grain: remembers a namespace that has credentials.</summary>
    [Alias("AddNamespace")] Task AddNamespace(string @namespace);

    [Alias("ListNamespaces")] Task<IReadOnlyList<string>> ListNamespaces();
}

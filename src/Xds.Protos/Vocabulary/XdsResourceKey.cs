namespace Mesh.Xds.Resources;

/// <summary>What an xDS resource is known by on both ends: its type URL (<see cref="TypeUrls"/>) and its name
/// (<see cref="XdsNames"/>).</summary>
public readonly record struct XdsResourceKey(string Type, string Name)
{
    public static implicit operator XdsResourceKey((string Type, string Name) key) => new(key.Type, key.Name);

    public override string ToString() => $"{TypeUrls.ShortName(Type)} {Name}";
}

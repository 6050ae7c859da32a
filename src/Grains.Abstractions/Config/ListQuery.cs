namespace Mesh.Grains.Config;

/// <summary>What one list page asks an index for: the resources after <see cref="After"/> (by name, in ordinal
/// order) that both selectors match, at most <see cref="Limit"/> of them. The selectors travel in their string
/// form; the API has already checked that they parse.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ListQuery")]
public sealed record ListQuery
{
    /// <summary>Asks for every matching resource in one page.</summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>Start after this name (exclusive); null starts at the first.</summary>
    [Id(0)] public string? After { get; init; }
    /// <summary>At most this many items; 0 asks only how many match.</summary>
    [Id(1)] public int Limit { get; init; } = Unlimited;
    [Id(2)] public string LabelSelector { get; init; } = "";
    [Id(3)] public string FieldSelector { get; init; } = "";
}

/// <summary>One page from an index: the items, in name order, and how many more after them match the query.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ListPage")]
public sealed record ListPage
{
    [Id(0)] public IReadOnlyList<StoredConfig> Items { get; init; } = [];
    [Id(1)] public int Remaining { get; init; }
}

namespace Mesh.Config.Selection;

/// <summary>A label or field selector that cannot be read. <see cref="Position"/> is the 1-based character where
/// reading stopped, so a caller can point at it.</summary>
public sealed class SelectorException(string selector, int position, string reason)
    : FormatException($"selector \"{Validation.Rules.Names.Short(selector, 120)}\": {reason} at position {position}")
{
    public string Selector { get; } = selector;

    public int Position { get; } = position;

    public string Reason { get; } = reason;
}

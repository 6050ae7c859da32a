namespace Mesh.Grains.Subscriptions;

/// <summary>How an observer's subscriptions are kept: renewed every <paramref name="Every"/> (well within the grain's
/// expiry), and <paramref name="Resync"/> called with a key whose grain forgot the observer, to re-read everything
/// under it; whatever the grain published while it did not know the observer was lost.</summary>
public sealed record Renewal(TimeSpan Every, Func<string, Task> Resync);

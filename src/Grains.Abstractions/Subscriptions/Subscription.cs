namespace Mesh.Grains.Subscriptions;

/// <summary>A grain's answer to a subscriber: its activation's identity (a new one means it was reactivated and forgot
/// its subscribers, so whatever it published meanwhile was missed) and how long the subscription lasts unrenewed.</summary>
[GenerateSerializer, Immutable, Alias("mesh.Subscription")]
public sealed record Subscription([property: Id(0)] Guid Epoch, [property: Id(1)] TimeSpan Expiry);

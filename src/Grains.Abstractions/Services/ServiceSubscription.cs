namespace Mesh.Grains.Services;

/// <summary>A live subscription to a service grain: the activation's identity and how long it lasts unrenewed.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ServiceSubscription")]
public sealed record ServiceSubscription([property: Id(0)] Guid Epoch, [property: Id(1)] TimeSpan Expiry);

namespace Mesh.Grains.Changes;

/// <summary>How long a change-feed subscription lives without renewal.</summary>
public sealed class ChangeFeedOptions
{
    /// <summary>Default 2 minutes; subscribers renew at a third of it.</summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromMinutes(2);
}

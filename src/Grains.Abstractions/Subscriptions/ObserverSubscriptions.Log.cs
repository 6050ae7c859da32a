using Microsoft.Extensions.Logging;

namespace Mesh.Grains.Subscriptions;

public sealed partial class ObserverSubscriptions<TGrain, TObserver>
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Renewing the subscription to {Grain} {Key} failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, string grain, string key, Exception exception);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Listing the {Grain} keys to subscribe to failed; retrying")]
    private static partial void LogFollowFailed(ILogger logger, string grain, Exception exception);
}

using Mesh.Xds.Cache;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>What every stream needs from the silo, in one object instead of a long constructor.</summary>
public sealed record StreamContext(
    IXdsCache Cache,
    XdsMetrics Metrics,
    XdsOptions Options,
    IGrainFactory Grains,
    string Silo,
    ILoggerFactory Loggers,
    Security.WorkloadAuthenticator Authenticator,
    Security.InboundEntitlement Entitlement)
{
    /// <summary>Where a stream's proxy status registers to be reported again when a silo dies (none in unit tests).</summary>
    public Mesh.Grains.Subscriptions.SubscriptionRegistry? Renewals { get; init; }

    /// <summary>Who may have which gateway credential; without it (unit tests) no gateway selects the node, so only
    /// the credentials of its own namespace are given.</summary>
    public Security.CredentialEntitlement Credentials { get; init; } = new((_, _) => Task.FromResult<IReadOnlyList<Translation.Gateways.BoundGateway>>([]));
}

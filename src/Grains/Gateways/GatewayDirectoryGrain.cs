using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Directories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.Gateways;

/// <summary>The gateway resources and what they select (see <see cref="IGatewayDirectoryGrain"/>).</summary>
public sealed class GatewayDirectoryGrain(
    [PersistentState("gatewayDirectory", StorageNames.Mesh)] IPersistentState<GatewayDirectoryState> state,
    IOptions<ChangeFeedOptions> options,
    ILogger<GatewayDirectoryGrain> logger)
    : DirectoryGrain<GatewayDirectoryState, GatewaySelection>(state, options.Value.SubscriptionExpiry, logger), IGatewayDirectoryGrain
{
    protected override Dictionary<string, GatewaySelection> Entries(GatewayDirectoryState state) => state.Selections;

    protected override string KeyOf(GatewaySelection selection) => selection.GatewayKey;

    protected override bool Same(GatewaySelection held, GatewaySelection selection) => held.SameAs(selection);
}

/// <summary>What the gateway directory persists: each gateway's selection by gateway key.</summary>
[GenerateSerializer, Alias("mesh.GatewayDirectoryState")]
public sealed class GatewayDirectoryState
{
    [Id(0)] public Dictionary<string, GatewaySelection> Selections { get; set; } = [];
}

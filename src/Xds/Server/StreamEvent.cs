using Envoy.Service.Discovery.V3;

namespace Mesh.Xds.Server;

/// <summary>What a stream's loop handles, one at a time: a request from the proxy, or news of changed resources.</summary>
internal abstract record StreamEvent
{
    public sealed record Request(DiscoveryRequest Message) : StreamEvent;

    public sealed record DeltaRequest(DeltaDiscoveryRequest Message) : StreamEvent;

    public sealed record Changed(IReadOnlyList<(string Type, string Name)> Resources, DateTimeOffset ChangedAt) : StreamEvent;
}

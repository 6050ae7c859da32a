using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>One open watch: the events its filter selects, in the order the feed delivers them. A change that moves
/// an object into or out of the selection arrives as ADDED or DELETED, as the real server's watch cache does.</summary>
public sealed class Watcher
{
    private readonly Channel<(string Type, JsonObject Object)> _events = Channel.CreateUnbounded<(string, JsonObject)>();

    internal Watcher(WatchFilter filter) => Filter = filter;

    public WatchFilter Filter { get; }

    public ChannelReader<(string Type, JsonObject Object)> Events => _events.Reader;

    internal bool IsIdle => _events.Reader.Count == 0;

    internal void Offer(StoredEvent change)
    {
        if (change.Resource != Filter.Resource) return;
        var now = Filter.Matches(change.Object);
        var before = change.Previous is not null && Filter.Matches(change.Previous);
        var type = change.Type switch
        {
            StoredEvent.Added => now ? StoredEvent.Added : null,
            StoredEvent.Deleted => now ? StoredEvent.Deleted : null,
            _ when now && before => StoredEvent.Modified,
            _ when now => StoredEvent.Added,
            _ when before => StoredEvent.Deleted,
            _ => null,
        };
        if (type is not null) _events.Writer.TryWrite((type, change.Object));
    }

    internal void OfferInitial(JsonObject obj) => _events.Writer.TryWrite((StoredEvent.Added, obj));

    /// <summary>Ends the stream: the server closes the response, as when it cuts a watch.</summary>
    internal void Cut() => _events.Writer.TryComplete();
}

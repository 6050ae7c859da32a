using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>Every object of every kind, under one global resourceVersion that grows by one per write, as etcd's
/// revision does. The store stamps what the server owns (<c>uid</c>, <c>creationTimestamp</c>, <c>generation</c>,
/// <c>resourceVersion</c>), checks preconditions, and publishes each change to the <see cref="Feed"/> in order.</summary>
public sealed class ObjectStore(EventFeed feed)
{
    private readonly object _gate = new();
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = [];
    private long _version;

    public EventFeed Feed { get; } = feed;

    public long CurrentVersion { get { lock (_gate) return _version; } }

    public JsonObject? Get(ResourceType type, string ns, string name)
    {
        lock (_gate) return Objects(type).GetValueOrDefault(Key(ns, name))?.DeepClone().AsObject();
    }

    public (IReadOnlyList<JsonObject> Items, long Version) List(WatchFilter filter)
    {
        lock (_gate) return (Objects(filter.Resource).Values.Where(filter.Matches).Select(o => o.DeepClone().AsObject()).ToList(), _version);
    }

    /// <summary>Opens a watch; see <see cref="EventFeed.Subscribe"/>.</summary>
    public Watcher Watch(WatchFilter filter, long? from)
    {
        lock (_gate) return Feed.Subscribe(filter, from, Objects(filter.Resource).Values.Select(o => o.DeepClone().AsObject()));
    }

    public JsonObject Create(ResourceType type, JsonObject obj)
    {
        lock (_gate)
        {
            var objects = Objects(type);
            var key = Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj));
            if (objects.ContainsKey(key)) throw ApiError.AlreadyExists(type, ObjectMeta.Name(obj));
            var metadata = ObjectMeta.Of(obj);
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata["generation"] = 1L;
            return Commit(type, StoredEvent.Added, obj, previous: null);
        }
    }

    /// <summary>Replaces an object. <paramref name="expectedVersion"/>, when not empty, must be the stored one (409
    /// Conflict otherwise). <paramref name="keep"/> says which part of the stored object survives: the status on a
    /// main-resource write of a kind with a status subresource, everything but the status on a status write.</summary>
    public JsonObject Replace(ResourceType type, JsonObject obj, string expectedVersion, Func<JsonObject, JsonObject, JsonObject> keep)
    {
        lock (_gate)
        {
            var name = ObjectMeta.Name(obj);
            var stored = Objects(type).GetValueOrDefault(Key(ObjectMeta.Namespace(obj), name)) ?? throw ApiError.NotFound(type, name);
            if (expectedVersion.Length > 0 && expectedVersion != ObjectMeta.ResourceVersion(stored)) throw ApiError.Conflict(type, name);
            var next = keep(stored.DeepClone().AsObject(), obj);
            var metadata = ObjectMeta.Of(next);
            var storedMetadata = ObjectMeta.Of(stored);
            foreach (var owned in new[] { "uid", "creationTimestamp" }) metadata[owned] = storedMetadata[owned]?.DeepClone();
            var generation = storedMetadata["generation"]?.GetValue<long>() ?? 1;
            metadata["generation"] = SpecChanged(stored, next) ? generation + 1 : generation;
            return Commit(type, StoredEvent.Modified, next, stored);
        }
    }

    public JsonObject Delete(ResourceType type, string ns, string name, string expectedVersion)
    {
        lock (_gate)
        {
            var stored = Objects(type).GetValueOrDefault(Key(ns, name)) ?? throw ApiError.NotFound(type, name);
            if (expectedVersion.Length > 0 && expectedVersion != ObjectMeta.ResourceVersion(stored)) throw ApiError.Conflict(type, name);
            if (type == ResourceTypes.Namespaces) DeleteContents(name);
            Objects(type).Remove(Key(ns, name));
            return Commit(type, StoredEvent.Deleted, stored.DeepClone().AsObject(), stored, remove: true);
        }
    }

    private void DeleteContents(string ns)
    {
        foreach (var (type, objects) in _objects.Where(t => t.Key.Namespaced))
        {
            foreach (var key in objects.Keys.Where(k => k.StartsWith(ns + "/", StringComparison.Ordinal)).ToList())
            {
                var stored = objects[key];
                objects.Remove(key);
                Commit(type, StoredEvent.Deleted, stored.DeepClone().AsObject(), stored, remove: true);
            }
        }
    }

    private JsonObject Commit(ResourceType type, string change, JsonObject obj, JsonObject? previous, bool remove = false)
    {
        _version++;
        ObjectMeta.Of(obj)["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        if (!remove) Objects(type)[Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj))] = obj;
        Feed.Publish(new StoredEvent(change, type, _version, obj, previous));
        return obj.DeepClone().AsObject();
    }

    /// <summary>Generation counts changes of what the user asked for: anything but metadata and status.</summary>
    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Desired(JsonObject o)
        {
            var copy = o.DeepClone().AsObject();
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }
        return !JsonNode.DeepEquals(Desired(before), Desired(after));
    }

    private SortedDictionary<string, JsonObject> Objects(ResourceType type)
    {
        if (!_objects.TryGetValue(type, out var objects)) _objects[type] = objects = new(StringComparer.Ordinal);
        return objects;
    }

    private static string Key(string ns, string name) => $"{ns}/{name}";
}

using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>One change to one object, as the store recorded it: <see cref="Type"/> is <c>ADDED</c>, <c>MODIFIED</c>
/// or <c>DELETED</c>; <see cref="Previous"/> (the state before) lets a selecting watch turn a change into the
/// ADDED/DELETED its selector sees. Objects here are never mutated; watchers clone what they send.</summary>
public sealed record StoredEvent(string Type, ResourceType Resource, long ResourceVersion, JsonObject Object, JsonObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public string Name => ObjectMeta.Name(Object);

    public string Namespace => ObjectMeta.Namespace(Object);
}

using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Source;

/// <summary>One line of a watch stream: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>,
/// with its object (a <c>metav1.Status</c> for ERROR).</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}

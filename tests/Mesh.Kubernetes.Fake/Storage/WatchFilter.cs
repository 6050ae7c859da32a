using System.Text.Json.Nodes;
using Mesh.Config.Selection;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>What a list or a watch selects: one kind, optionally one namespace, label and field selectors.</summary>
public sealed record WatchFilter(ResourceType Resource, string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public static WatchFilter All(ResourceType resource) => new(resource, null, LabelSelector.Everything, FieldSelector.Everything);

    public bool Matches(JsonObject obj)
    {
        var ns = ObjectMeta.Namespace(obj);
        return (Namespace is null || Namespace == ns)
            && Fields.Matches(ns, ObjectMeta.Name(obj))
            && Labels.Matches(ObjectMeta.Labels(obj));
    }
}

using Mesh.Config.Kinds;
using Mesh.Config.Validation;

namespace Mesh.Kubernetes.Status;

/// <summary>What the Kubernetes source made of one object of a Mesh kind that it read from the API server (a
/// VirtualService applied with kubectl): stored in the config grains, or refused with <paramref name="Problems"/>
/// (field paths of the Kubernetes object). The status writer turns it into that object's <c>status</c>.</summary>
/// <param name="Generation">The object's <c>metadata.generation</c> as read: what <c>observedGeneration</c> reports.</param>
public sealed record SourcedObject(ResourceKind Kind, string Namespace, string Name, long Generation, IReadOnlyList<FieldError> Problems)
{
    public bool Accepted => Problems.Count == 0;
}

/// <summary>Where the Kubernetes source tells what it observed. The status writer implements it; the source calls it
/// after each object it read has been written to (or refused by) the config grains, and when an object is gone.</summary>
public interface ISourcedObjectSink
{
    void Observed(SourcedObject sourced);

    void Removed(ResourceKind kind, string @namespace, string name);

    /// <summary>This silo stopped leading the source: another silo's writer reports from now on, so forget every
    /// object reported here (two writers would fight over the same status).</summary>
    void Released();
}

namespace Mesh.Config.Validation;

/// <summary>One problem with one field of a resource: where it is (<c>spec.http[0].route</c>) and what is wrong.</summary>
public sealed record FieldError(string Path, string Reason)
{
    public override string ToString() => string.IsNullOrEmpty(Path) ? Reason : $"{Path}: {Reason}";
}

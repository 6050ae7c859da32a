namespace Mesh.Config.Validation.Fields;

/// <summary>Collects every error found while checking one document; checking never stops at the first.</summary>
internal sealed class Problems
{
    public List<FieldError> Errors { get; } = [];

    public void Error(string path, string reason) => Errors.Add(new FieldError(path, reason));
}

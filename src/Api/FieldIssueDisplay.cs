namespace Mesh.Api.V1;

public sealed partial class FieldIssue
{
    /// <summary><c>VirtualService bookinfo/reviews: spec.http[0].route: weights sum to 90, must be 100</c>.</summary>
    public string Display() => string.IsNullOrEmpty(Path) ? $"{Resource}: {Reason}" : $"{Resource}: {Path}: {Reason}";
}

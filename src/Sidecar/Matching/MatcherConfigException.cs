namespace Mesh.Sidecar.Matching;

/// <summary>A matcher in a filter config that mesh-sidecar cannot honour exactly; <see cref="Field"/> is the path to
/// it inside the matcher. The RBAC and JWT compilers wrap it with the path of the matcher inside their config.</summary>
internal sealed class MatcherConfigException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

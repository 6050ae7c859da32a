namespace Mesh.Sidecar.Security;

/// <summary>A jwt_authn filter config mesh-sidecar cannot enforce as Envoy would; the whole config must be rejected
/// (NACKed). <see cref="FieldPath"/> locates the field, for example <c>providers["origins-0"].subjects</c>.</summary>
public sealed class JwtCompileException(string fieldPath, string problem) : Exception($"{fieldPath}: {problem}")
{
    public string FieldPath { get; } = fieldPath;

    public string Problem { get; } = problem;
}

namespace Mesh.Sidecar.Security;

/// <summary>An RBAC filter config mesh-sidecar cannot enforce exactly as Envoy would; the whole config must be
/// rejected (NACKed), never enforced in part. <see cref="FieldPath"/> locates the field, for example
/// <c>rbac[0].rules.policies["ns[a]-policy[b]-rule[0]"].permissions[1].uri_template</c>.</summary>
public sealed class RbacCompileException(string? policyName, string fieldPath, string problem)
    : Exception(policyName is null ? $"{fieldPath}: {problem}" : $"policy \"{policyName}\": {fieldPath}: {problem}")
{
    /// <summary>The policy the field belongs to, or null for a field outside any policy.</summary>
    public string? PolicyName { get; } = policyName;

    public string FieldPath { get; } = fieldPath;

    public string Problem { get; } = problem;
}

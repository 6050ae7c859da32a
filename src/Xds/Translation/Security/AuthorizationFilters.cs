using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>The RBAC HTTP filters for a workload's AuthorizationPolicies, in the order they must run, and what could
/// not be translated.</summary>
internal sealed record AuthorizationFilters(IReadOnlyList<HttpFilter> Filters, IReadOnlyList<string> Warnings);

using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>The jwt_authn HTTP filter for a workload's RequestAuthentications (null when there are no JWT rules), and
/// what could not be translated.</summary>
internal sealed record JwtFilter(HttpFilter? Filter, IReadOnlyList<string> Warnings);

using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>The security HTTP filters of a workload's inbound listener, to go before the router: jwt_authn first if any
/// RequestAuthentication applies, then the RBAC filters in order; and the warnings about policy that was not translated.</summary>
public sealed record InboundHttpPolicy(IReadOnlyList<HttpFilter> Filters, IReadOnlyList<string> Warnings);

using Mesh.Sidecar.Security.Rbac;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Sidecar.Security;

/// <summary>Envoy's <c>envoy.filters.http.rbac</c> filters, in chain order, compiled once and evaluated per request.
/// An ALLOW filter denies a request no policy matches, a DENY filter one a policy matches, a LOG filter never
/// denies; the first denial ends the chain. Immutable and thread-safe.</summary>
public sealed class RbacEngine
{
    private readonly RbacFilter[] _filters;

    private RbacEngine(RbacFilter[] filters) => _filters = filters;

    /// <summary>An engine with no filters: everything is allowed.</summary>
    public static RbacEngine Empty { get; } = new([]);

    public int FilterCount => _filters.Length;

    /// <summary>Compiles the filter configs in chain order.</summary>
    /// <exception cref="RbacCompileException">A field mesh-sidecar cannot enforce as Envoy would: reject the
    /// whole config.</exception>
    public static RbacEngine Compile(IEnumerable<HttpRbac> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return new RbacEngine(filters.Select((config, i) => RbacFilter.Compile(config, i)).ToArray());
    }

    public RbacDecision Evaluate(RequestFacts request)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<RbacReport>? reports = null;
        foreach (var filter in _filters)
        {
            if (filter.Evaluate(request, ref reports) is { } denial) return denial;
        }
        return reports is null ? RbacDecision.AllowedWithoutReports : new RbacDecision(true, null, null, reports);
    }
}

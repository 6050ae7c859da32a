namespace Mesh.Silo.Hosting;

/// <summary>Keeps each port to its own job by the port the connection arrived on (not the Host header, which a
/// Service or proxy in front may rewrite): xDS only on the xDS port, the API only on the API ports, metrics and
/// health only on the monitoring port. Anything else gets 404.</summary>
public static class PortPartition
{
    public static IApplicationBuilder UsePortPartition(this IApplicationBuilder app, MeshOptions options) => app.Use(async (context, next) =>
    {
        var port = context.Connection.LocalPort;
        var path = context.Request.Path.Value ?? "";
        var allowed =
            port == options.Xds.Port ? XdsPath(path)
            : port == options.Xds.SecurePort ? XdsPath(path) || path.StartsWith(Access.ApiPermissions.WorkloadCertificatePrefix, StringComparison.Ordinal)
            : port == options.Api.Port || port == options.Api.HttpPort ? Access.ApiAdmission.Guards(path) || path.StartsWith("/apis/", StringComparison.Ordinal)
            : port == options.MonitoringPort ? path is "/metrics" or "/healthz" or "/readyz"
            : port == options.Admission.ServedPort ? path is Admission.AdmissionEndpoints.InjectPath or Admission.AdmissionEndpoints.ValidatePath
            : false;
        if (!allowed)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(context);
    });

    /// <summary>xDS, and the rate-limit leases gateways take on the same connection's port.</summary>
    private static bool XdsPath(string path) =>
        path.StartsWith("/envoy.service.", StringComparison.Ordinal) || path.StartsWith(Xds.Resources.ApiPolicyFilters.LeaseServicePrefix, StringComparison.Ordinal);
}

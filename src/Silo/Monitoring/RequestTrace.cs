using System.Diagnostics;

namespace Mesh.Silo.Monitoring;

/// <summary>The request's trace id, as the audit trail and error messages quote it.</summary>
public static class RequestTrace
{
    /// <summary>The caller's trace when it sent <c>traceparent</c> (ASP.NET Core continues it), else the one the silo
    /// started for the request; empty when none runs.</summary>
    public static string Id() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : "";
}

namespace Mesh.Api.Telemetry;

/// <summary>The Prometheus series a gateway exports per request and the labels per-API analytics reads from them:
/// the gateway writes them, <c>meshctl top routes</c> reads them. The series are Istio's standard ones.</summary>
public static class GatewaySeries
{
    public const string Requests = "istio_requests_total";
    public const string Duration = "istio_request_duration_milliseconds";
    public const string RequestBytes = "istio_request_bytes";
    public const string ResponseBytes = "istio_response_bytes";

    /// <summary>Envoy's route name (<c>route.name</c>; Mesh names unnamed VirtualService routes <c>NS.VS.INDEX</c>).</summary>
    public const string Route = "route_name";
    /// <summary>The ApiPolicy consumer whose API key the request carried.</summary>
    public const string Consumer = "consumer";
    public const string ResponseCode = "response_code";
    /// <summary>Istio's value for a label the proxy does not know (no route matched, no API key).</summary>
    public const string Unknown = "unknown";
}

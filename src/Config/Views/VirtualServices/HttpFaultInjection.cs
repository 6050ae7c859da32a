using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>HTTPFaultInjection</c>: a delay, an abort, or both.</summary>
public sealed record HttpFaultInjection(FaultDelay? Delay, FaultAbort? Abort)
{
    internal static HttpFaultInjection From(JsonObject fault) => new(
        fault.Obj("delay") is { } delay ? FaultDelay.From(delay) : null,
        fault.Obj("abort") is { } abort ? FaultAbort.From(abort) : null);
}

/// <summary>A fixed delay (null when the delay is exponential, which Mesh does not translate) for a share of requests:
/// <c>percentage</c>, or the deprecated whole-number <c>percent</c>, and all of them when neither is set.</summary>
public sealed record FaultDelay(long? FixedDelayNanos, double Percent)
{
    internal static FaultDelay From(JsonObject delay)
        => new(delay.Nanos("fixedDelay"), delay.Percent("percentage") ?? delay.Double("percent") ?? 100);
}

/// <summary>An abort with an HTTP status or a gRPC status (a name or a number; null with http2Error, which Mesh does
/// not translate), for a share of requests, all of them when unset.</summary>
public sealed record FaultAbort(int? HttpStatus, string? GrpcStatus, double Percent)
{
    internal static FaultAbort From(JsonObject abort)
        => new((int?)abort.Long("httpStatus"), abort.Str("grpcStatus"), abort.Percent("percentage") ?? 100);
}

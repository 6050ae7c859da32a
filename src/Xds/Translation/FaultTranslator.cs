using Envoy.Extensions.Filters.Http.Fault.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.VirtualServices;
using CommonFault = Envoy.Extensions.Filters.Common.Fault.V3;
using IstioAbort = Mesh.Config.Views.VirtualServices.FaultAbort;
using FaultAbort = Envoy.Extensions.Filters.Http.Fault.V3.FaultAbort;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HTTPFaultInjection</c> → the fault filter's per-route override (gRFC A33).</summary>
internal static class FaultTranslator
{
    private static readonly Dictionary<string, uint> GrpcCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OK"] = 0, ["CANCELLED"] = 1, ["UNKNOWN"] = 2, ["INVALID_ARGUMENT"] = 3, ["DEADLINE_EXCEEDED"] = 4,
        ["NOT_FOUND"] = 5, ["ALREADY_EXISTS"] = 6, ["PERMISSION_DENIED"] = 7, ["RESOURCE_EXHAUSTED"] = 8,
        ["FAILED_PRECONDITION"] = 9, ["ABORTED"] = 10, ["OUT_OF_RANGE"] = 11, ["UNIMPLEMENTED"] = 12,
        ["INTERNAL"] = 13, ["UNAVAILABLE"] = 14, ["DATA_LOSS"] = 15, ["UNAUTHENTICATED"] = 16,
    };

    /// <summary>The packed HTTPFault, or null when nothing in the fault is expressible (exponentialDelay, http2Error).</summary>
    public static Any? Translate(HttpFaultInjection fault)
    {
        var result = new HTTPFault();
        if (fault.Delay is { } delay && ProtoValues.Duration(delay.FixedDelayNanos) is { } fixedDelay)
        {
            result.Delay = new CommonFault.FaultDelay { FixedDelay = fixedDelay, Percentage = ProtoValues.Fraction(delay.Percent) };
        }
        if (fault.Abort is { } abort && Abort(abort) is { } translated)
        {
            result.Abort = translated;
        }
        return result.Delay is null && result.Abort is null ? null : Any.Pack(result);
    }

    /// <summary>Fails every request with <paramref name="httpStatus"/>: how a route that answers by itself
    /// (directResponse, redirect) reaches a gRPC client, which accepts only forwarding routes.</summary>
    public static Any AbortAll(uint httpStatus)
        => Any.Pack(new HTTPFault { Abort = new FaultAbort { HttpStatus = httpStatus, Percentage = ProtoValues.Fraction(100) } });

    private static FaultAbort? Abort(IstioAbort abort)
    {
        var result = new FaultAbort { Percentage = ProtoValues.Fraction(abort.Percent) };
        if (abort.HttpStatus is { } http) result.HttpStatus = (uint)http;
        else if (abort.GrpcStatus is { } grpc && GrpcStatus(grpc) is { } code) result.GrpcStatus = code;
        else return null;
        return result;
    }

    private static uint? GrpcStatus(string status)
        => GrpcCodes.TryGetValue(status, out var code) ? code : uint.TryParse(status, out var number) && number <= 16 ? number : null;
}

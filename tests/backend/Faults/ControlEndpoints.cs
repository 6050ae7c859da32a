using System.Globalization;

namespace Mesh.TestBackend.Faults;

/// <summary><c>/_control/*</c>, sent by tests straight to the backend's port, and <c>/healthz</c>. None of them is counted.</summary>
public static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app)
    {
        app.MapPost("/_control/faults", (HttpRequest request, FaultState state) =>
        {
            var query = request.Query;
            if (query.Count == 0)
            {
                state.Settings = FaultSettings.None;
                return Results.Json(state.Settings);
            }
            if (!TryDouble(query["fail_rate"], 0, out var failRate) || failRate is < 0 or > 1
                || !TryInt(query["status"], StatusCodes.Status503ServiceUnavailable, out var status) || status is < 200 or > 599
                || !TryInt(query["delay_ms"], 0, out var delayMs) || delayMs < 0)
            {
                return Results.BadRequest(new { error = "fail_rate in [0,1], status in [200,599], delay_ms >= 0" });
            }
            state.Settings = new FaultSettings(failRate, status, delayMs);
            return Results.Json(state.Settings);
        });
        app.MapGet("/_control/stats", (FaultState state) => Results.Json(new { requests = state.Requests, failed = state.Failed }));
        app.MapPost("/_control/stats/reset", (FaultState state) =>
        {
            state.ResetCounters();
            return Results.Json(new { requests = 0, failed = 0 });
        });
        app.MapPost("/_control/health", (HttpRequest request, FaultState state) =>
        {
            state.Healthy = !string.Equals(request.Query["ok"], "false", StringComparison.OrdinalIgnoreCase);
            return Results.Json(new { ok = state.Healthy });
        });
        app.MapMethods("/healthz", ["GET", "HEAD"], (FaultState state) =>
            state.Healthy ? Results.Text("ok") : Results.Text("unhealthy", statusCode: StatusCodes.Status503ServiceUnavailable));
    }

    private static bool TryDouble(string? text, double fallback, out double value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryInt(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}

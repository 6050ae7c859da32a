using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class FaultInjectionTests
{
    private static readonly Fraction Never = new(0, 100);

    [Fact]
    public async Task An_abort_its_fraction_selects_answers_with_the_faults_status()
    {
        var context = Outbound.Request("web:80");

        var aborted = await FaultInjection.Apply(context, new FaultPolicy(null, Never, 418, null, Fraction.Always));

        Assert.True(aborted);
        Assert.Equal(418, context.Response.StatusCode);
        Assert.Equal("fault filter abort", Outbound.Body(context));
        Assert.Equal("FI", context.Items[RequestItems.ResponseFlags]);
    }

    [Fact]
    public async Task A_gRPC_abort_answers_with_the_faults_gRPC_status()
    {
        var context = Outbound.Request("web:80", "/shop.Cart/Add", "POST");
        context.Request.ContentType = "application/grpc";

        Assert.True(await FaultInjection.Apply(context, new FaultPolicy(null, Never, null, 14, Fraction.Always)));

        Assert.Equal("14", context.Response.Headers["grpc-status"]);
    }

    [Fact]
    public async Task An_abort_its_fraction_does_not_select_lets_the_request_go_on()
    {
        var context = Outbound.Request("web:80");

        Assert.False(await FaultInjection.Apply(context, new FaultPolicy(null, Never, 503, null, Never)));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Items.ContainsKey(RequestItems.ResponseFlags));
    }

    [Fact]
    public async Task A_delay_holds_the_request_and_flags_it()
    {
        var context = Outbound.Request("web:80");
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(await FaultInjection.Apply(context, new FaultPolicy(TimeSpan.FromMilliseconds(100), Fraction.Always, null, null, Never)));

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(100), $"took {started.Elapsed}");
        Assert.Equal("DI", context.Items[RequestItems.ResponseFlags]);
    }

    [Fact]
    public async Task A_delay_is_never_shorter_than_asked_by_the_precise_clock()
    {
        // Timers run on the coarse clock and fired up to a tick early by the Stopwatch: a 600 ms fault took 598 ms.
        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < 40; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await FaultInjection.AtLeast(TimeSpan.FromMilliseconds(7.5), CancellationToken.None);
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (took < shortest) shortest = took;
        }

        Assert.True(shortest >= TimeSpan.FromMilliseconds(7.5), $"the shortest of 40 delays of 7.5 ms took {shortest.TotalMilliseconds:0.000} ms");
    }
}

using System.Diagnostics;
using Mesh.Xds.Cache;

namespace Mesh.Xds.Tests;

public sealed class XdsMetricsTests
{
    [Fact]
    public void StartPush_LinksTheSpanToTheTraceOfTheChange()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == XdsMetrics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var change = ActivityContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

        using var push = XdsMetrics.StartPush(new ChangeOrigin(DateTimeOffset.UtcNow, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

        Assert.NotNull(push);
        Assert.Equal("xds.push", push.OperationName);
        Assert.Equal(change.TraceId, Assert.Single(push.Links).Context.TraceId);
        Assert.NotEqual(change.TraceId, push.TraceId);
    }

    [Fact]
    public void StartPush_WithoutAKnownChange_HasNoLink()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == XdsMetrics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var push = XdsMetrics.StartPush(null);

        Assert.NotNull(push);
        Assert.Empty(push.Links);
    }
}

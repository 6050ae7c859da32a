using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class RequestMirrorTests
{
    private static readonly UpstreamCluster Primary = Forwarding.Cluster(Forwarding.Endpoint("10.0.0.1"));
    private static readonly UpstreamCluster Shadow = Forwarding.Cluster(Forwarding.Endpoint("10.0.0.9")) with { Name = "shadow" };

    private static Forwarding.Recorder Mirror(Microsoft.AspNetCore.Http.HttpContext context, string cluster = "shadow", Fraction? fraction = null)
    {
        var recorder = new Forwarding.Recorder();
        var yarp = Forwarding.Attached(Forwarding.Yarp(Primary), Forwarding.Yarp(Shadow, recorder));
        var action = Forwarding.Action(mirrors: new MirrorPolicy(cluster, fraction ?? Fraction.Always));
        var state = Forwarding.State(context, Primary, action, model: Forwarding.Model(Primary, Shadow));

        new RequestMirror(Outbound.Options, yarp, new ClusterRuntimes()).Send(state);
        return recorder;
    }

    [Fact]
    public void A_mirrored_request_goes_to_the_mirror_cluster_with_a_shadow_host()
    {
        var context = Outbound.Request("reviews:9080", "/reviews/1?full=true");
        context.Request.Headers["x-user"] = "jason";

        var seen = Assert.Single(Mirror(context).Seen);

        Assert.Equal(("GET", "http://10.0.0.9:80/reviews/1?full=true", "reviews-shadow:9080"), (seen.Method, seen.Uri, seen.Host));
        Assert.Equal(new Version(1, 1), seen.Version);
        Assert.Contains("x-user: jason", seen.Headers);
    }

    [Fact]
    public void The_shadow_host_has_no_port_when_the_request_had_none()
    {
        var copy = RequestMirror.Copy(Outbound.Request("reviews", "/").Request, "http://10.0.0.9:80", http2: true);

        Assert.Equal("reviews-shadow", copy.Headers.Host);
        Assert.Equal(new Version(2, 0), copy.Version);
    }

    [Fact]
    public void A_request_with_a_body_is_not_mirrored()
    {
        var context = Outbound.Request("reviews:9080", "/reviews", "POST");
        context.Request.ContentLength = 12;

        Assert.Empty(Mirror(context).Seen);
    }

    [Fact]
    public void A_mirror_its_fraction_does_not_select_or_whose_cluster_is_unknown_sends_nothing()
    {
        Assert.Empty(Mirror(Outbound.Request("reviews:9080"), fraction: new Fraction(0, 100)).Seen);
        Assert.Empty(Mirror(Outbound.Request("reviews:9080"), cluster: "missing").Seen);
    }
}

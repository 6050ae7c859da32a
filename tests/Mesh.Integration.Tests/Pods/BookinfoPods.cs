namespace Mesh.Integration.Tests.Pods;

/// <summary>Bookinfo's productpage and reviews as two pods on one node (the host namespace), as the capture and
/// injection tests run them. Each pod has a link to the node (productpage NET.2 to the node's NET.1, reviews NET.18 to
/// NET.17) with its default route there, and the two share a pod network (productpage NET.33, reviews NET.34); all
/// /28s. NET is 10.BLOCK.N with N drawn at random, the names carry a random id, so that runs do not collide; give each
/// test class a BLOCK of its own. Disposing disposes both pods (their processes, links and capture rules).</summary>
public sealed class BookinfoPods : IDisposable
{
    private readonly List<Pod> _pods = [];

    /// <param name="block">The second octet of the pods' addresses.</param>
    /// <param name="tag">A letter that starts the namespaces' names, to tell whose they are.</param>
    public BookinfoPods(int block, char tag)
    {
        Net = $"10.{block}.{Random.Shared.Next(1, 255)}";
        var id = Guid.NewGuid().ToString("N")[..6];
        try
        {
            Productpage = Add(new Pod($"{tag}pp-{id}"));
            Reviews = Add(new Pod($"{tag}rv-{id}"));
            Productpage.LinkToHost($"h{id}p", $"{ProductpageNode}/28", $"p{id}h", $"{ProductpageOnNode}/28");
            Reviews.LinkToHost($"h{id}r", $"{ReviewsNode}/28", $"r{id}h", $"{Net}.18/28");
            Productpage.LinkTo(Reviews, $"p{id}x", $"{ProductpageIp}/28", $"r{id}x", $"{ReviewsIp}/28");
            Productpage.DefaultRoute(ProductpageNode);
            Reviews.DefaultRoute(ReviewsNode);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The first three octets of every address here.</summary>
    public string Net { get; }

    public Pod Productpage { get; }

    public Pod Reviews { get; }

    /// <summary>The node's end of productpage's link: where productpage reaches the control plane.</summary>
    public string ProductpageNode => $"{Net}.1";

    /// <summary>Productpage's end of its link to the node.</summary>
    public string ProductpageOnNode => $"{Net}.2";

    /// <summary>The node's end of reviews' link: where reviews reaches the control plane.</summary>
    public string ReviewsNode => $"{Net}.17";

    /// <summary>Productpage's address on the pod network.</summary>
    public string ProductpageIp => $"{Net}.33";

    /// <summary>Reviews' address on the pod network.</summary>
    public string ReviewsIp => $"{Net}.34";

    /// <summary>Both pods' /etc/hosts as cluster DNS would answer: the control plane's name at each pod's node address,
    /// and, for productpage, reviews' names at its service address.</summary>
    public void Hosts(string controlPlane, (string Address, string Names) reviews)
    {
        Productpage.Hosts((ProductpageNode, controlPlane), reviews);
        Reviews.Hosts((ReviewsNode, controlPlane));
    }

    /// <summary>Routes on the node to each pod's pod-network address through its link, as kubelet reaches a pod (its
    /// probes) at the address the pod is known by.</summary>
    public void RouteFromNode()
    {
        Pod.HostRoute(ProductpageIp, ProductpageOnNode);
        Pod.HostRoute(ReviewsIp, $"{Net}.18");
    }

    private Pod Add(Pod pod)
    {
        _pods.Add(pod);
        return pod;
    }

    public void Dispose()
    {
        for (var i = _pods.Count - 1; i >= 0; i--) _pods[i].Dispose();
        _pods.Clear();
    }
}

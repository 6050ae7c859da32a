using Mesh.Config.Keys;
using Mesh.Grains.Services;

namespace Mesh.Xds.Tests.Translation;

/// <summary>Istio's bookinfo <c>reviews</c> service (v1, v2, v3 in two zones) and specs to route it.</summary>
internal static class Bookinfo
{
    public const string Host = "reviews.bookinfo.svc.cluster.local";
    public const int Port = 9080;

    public static readonly EndpointAddress V1 = Endpoint("reviews-v1", "10.0.0.1", "us-east/a", "v1");
    public static readonly EndpointAddress V2 = Endpoint("reviews-v2", "10.0.0.2", "us-east/b", "v2", weight: 3);
    public static readonly EndpointAddress V3 = Endpoint("reviews-v3", "10.0.0.3", "us-east/a", "v3", weight: 0);

    public const string Subsets = """
        {"host": "reviews", "subsets": [
          {"name": "v1", "labels": {"version": "v1"}},
          {"name": "v2", "labels": {"version": "v2"}},
          {"name": "v3", "labels": {"version": "v3"}}]}
        """;

    public static ServiceModel Model(string? destinationRule = null, params string[] virtualServices) => new(
        Host,
        [
            new PortEndpoints(
                new ServicePort(Port, "http", "HTTP", Port),
                [V3, V1, V2],
                new Dictionary<string, List<EndpointAddress>> { ["v1"] = [V1], ["v2"] = [V2], ["v3"] = [V3] }),
        ],
        destinationRule is null ? [] : [new ConfigSpec("DestinationRule/bookinfo/reviews", "bookinfo", destinationRule)],
        virtualServices.Select((spec, i) => new ConfigSpec($"VirtualService/bookinfo/reviews-{i}", "bookinfo", spec)).ToList(),
        ["ServiceEntry/bookinfo/reviews"],
        DateTimeOffset.UnixEpoch);

    /// <summary>A VirtualService for reviews with the given http routes (a JSON array).</summary>
    public static string VirtualService(string http) => $$"""{"hosts": ["reviews"], "http": {{http}}}""";

    private static EndpointAddress Endpoint(string name, string address, string locality, string version, int weight = 1)
        => new(WorkloadKey.Of("bookinfo", name), address, Port, locality, weight, new Dictionary<string, string> { ["version"] = version });
}

using Mesh.Grains.Endpoints;
using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Services;

public sealed class EndpointCalculatorTests
{
    private const string Host = "reviews.example.com";
    private const string EntryKey = "ServiceEntry/shop/reviews";

    [Fact]
    public void Calculate_NoEntries_HasNoPorts()
    {
        var endpoints = EndpointCalculator.Calculate(Host, new ServiceState());

        Assert.Equal(Host, endpoints.Host);
        Assert.Empty(endpoints.Ports);
        Assert.Empty(endpoints.ServiceEntries);
    }

    [Fact]
    public void Calculate_SelectedWorkloads_ListedOnEveryPortSortedByAddress()
    {
        var state = State(Entry(ports: [Port(9080, "http"), Port(9443, "grpc")]),
            Workload("shop/b", "10.0.0.2"), Workload("shop/a", "10.0.0.1"));

        var ports = EndpointCalculator.Calculate(Host, state).Ports;

        Assert.Equal([9080, 9443], ports.Select(p => p.Port.Number));
        foreach (var port in ports)
        {
            Assert.Equal(["10.0.0.1", "10.0.0.2"], port.Endpoints.Select(e => e.Address));
            Assert.All(port.Endpoints, e => Assert.Equal(port.Port.Number, e.Port));
        }
    }

    [Fact]
    public void Calculate_TargetPort_UsedInsteadOfServicePort()
    {
        var state = State(Entry(ports: [Port(80, "http", targetPort: 8080)]), Workload("shop/a", "10.0.0.1"));

        var endpoint = Assert.Single(EndpointCalculator.Calculate(Host, state).Ports.Single().Endpoints);

        Assert.Equal(8080, endpoint.Port);
    }

    [Fact]
    public void Calculate_WorkloadNamedPort_OverridesTargetPort()
    {
        var workload = Workload("shop/a", "10.0.0.1") with { Ports = new() { ["http"] = 7070 } };
        var state = State(Entry(ports: [Port(80, "http", targetPort: 8080), Port(81, "admin", targetPort: 8081)]), workload);

        var ports = EndpointCalculator.Calculate(Host, state).Ports;

        Assert.Equal(7070, ports.Single(p => p.Port.Name == "http").Endpoints.Single().Port);
        Assert.Equal(8081, ports.Single(p => p.Port.Name == "admin").Endpoints.Single().Port);
    }

    [Fact]
    public void Calculate_InlineEndpoints_Listed()
    {
        var entry = Entry(ports: [Port(443, "https")]) with
        {
            WorkloadSelector = null,
            InlineEndpoints = [Workload($"{EntryKey}#0", "192.0.2.1"), Workload($"{EntryKey}#1", "192.0.2.2")],
        };

        var port = EndpointCalculator.Calculate(Host, State(entry)).Ports.Single();

        Assert.Equal([$"{EntryKey}#0", $"{EntryKey}#1"], port.Endpoints.Select(e => e.WorkloadKey));
    }

    [Fact]
    public void Calculate_WorkloadWithoutAddress_Skipped()
    {
        var state = State(Entry(ports: [Port(80, "http")]), Workload("shop/a", ""), Workload("shop/b", "10.0.0.2"));

        var endpoint = Assert.Single(EndpointCalculator.Calculate(Host, state).Ports.Single().Endpoints);

        Assert.Equal("shop/b", endpoint.WorkloadKey);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-3, 1)]
    [InlineData(5, 5)]
    public void Calculate_Weight_DefaultsToOneUnlessPositive(int weight, int expected)
    {
        var state = State(Entry(ports: [Port(80, "http")]), Workload("shop/a", "10.0.0.1") with { Weight = weight });

        Assert.Equal(expected, EndpointCalculator.Calculate(Host, state).Ports.Single().Endpoints.Single().Weight);
    }

    [Fact]
    public void Calculate_SameAddressAndPortFromTwoEntries_ListedOnce()
    {
        var other = Entry(ports: [Port(80, "http")]) with { Key = "ServiceEntry/shop/reviews-2" };
        var state = State(Entry(ports: [Port(80, "http")]), Workload("shop/a", "10.0.0.1"));
        state.Entries[other.Key] = other;
        state.Selected[other.Key] = new() { ["shop/a2"] = Workload("shop/a2", "10.0.0.1") };

        var ports = EndpointCalculator.Calculate(Host, state).Ports;

        Assert.Single(ports);
        Assert.Single(ports[0].Endpoints);
        Assert.Equal(["ServiceEntry/shop/reviews", "ServiceEntry/shop/reviews-2"], EndpointCalculator.Calculate(Host, state).ServiceEntries);
    }

    [Fact]
    public void Calculate_PortDeclaredByOneEntry_OnlyThatEntrysWorkloads()
    {
        var other = Entry(ports: [Port(9090, "metrics")]) with { Key = "ServiceEntry/shop/metrics" };
        var state = State(Entry(ports: [Port(80, "http")]), Workload("shop/a", "10.0.0.1"));
        state.Entries[other.Key] = other;
        state.Selected[other.Key] = new() { ["shop/m"] = Workload("shop/m", "10.0.0.9") };

        var ports = EndpointCalculator.Calculate(Host, state).Ports;

        Assert.Equal(["shop/a"], ports.Single(p => p.Port.Number == 80).Endpoints.Select(e => e.WorkloadKey));
        Assert.Equal(["shop/m"], ports.Single(p => p.Port.Number == 9090).Endpoints.Select(e => e.WorkloadKey));
    }

    [Fact]
    public void Calculate_Subsets_HoldEndpointsWhoseLabelsMatch()
    {
        var state = State(Entry(ports: [Port(80, "http")]),
            Workload("shop/a", "10.0.0.1", ("app", "reviews"), ("version", "v1")),
            Workload("shop/b", "10.0.0.2", ("app", "reviews"), ("version", "v2")),
            Workload("shop/c", "10.0.0.3", ("app", "reviews")));
        state.Subsets["DestinationRule/shop/reviews"] =
        [
            new SubsetView("v1", new() { ["version"] = "v1" }),
            new SubsetView("v2", new() { ["version"] = "v2", ["app"] = "reviews" }),
            new SubsetView("all", []),
            new SubsetView("none", new() { ["version"] = "v3" }),
        ];

        var subsets = EndpointCalculator.Calculate(Host, state).Ports.Single().Subsets;

        Assert.Equal(["shop/a"], subsets["v1"].Select(e => e.WorkloadKey));
        Assert.Equal(["shop/b"], subsets["v2"].Select(e => e.WorkloadKey));
        Assert.Equal(3, subsets["all"].Count);
        Assert.Empty(subsets["none"]);
    }

    [Fact]
    public void Calculate_SubsetNamedByTwoRules_Kept()
    {
        var state = State(Entry(ports: [Port(80, "http")]), Workload("shop/a", "10.0.0.1", ("version", "v1")));
        state.Subsets["DestinationRule/shop/one"] = [new SubsetView("v1", new() { ["version"] = "v1" })];
        state.Subsets["DestinationRule/shop/two"] = [new SubsetView("v1", new() { ["version"] = "v1" })];

        var subsets = EndpointCalculator.Calculate(Host, state).Ports.Single().Subsets;

        Assert.Equal(["v1"], subsets.Keys);
    }

    private static ServicePort Port(int number, string name, int targetPort = 0) => new(number, name, "HTTP", targetPort);

    private static ServiceEntryView Entry(List<ServicePort> ports) => new()
    {
        Key = EntryKey,
        Namespace = "shop",
        Ports = ports,
        WorkloadSelector = new() { ["app"] = "reviews" },
    };

    private static WorkloadInfo Workload(string key, string address, params (string Key, string Value)[] labels) => new()
    {
        Key = key,
        Namespace = "shop",
        Address = address,
        Labels = labels.ToDictionary(l => l.Key, l => l.Value),
    };

    private static ServiceState State(ServiceEntryView entry, params WorkloadInfo[] selected)
    {
        var state = new ServiceState();
        state.Entries[entry.Key] = entry;
        state.Selected[entry.Key] = selected.ToDictionary(w => w.Key);
        return state;
    }
}

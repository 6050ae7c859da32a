using System.Collections.Immutable;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>One model compiled from the one before it: a resource named here is compiled again only when its content
/// changed (a cluster also when its EDS assignment's did); otherwise its compiled object is the previous model's, the
/// same instance, so that what the proxy keeps per compiled object (a route's resilience pipeline, YARP's cluster and
/// its connections, the JWT authenticator's fetched keys) survives. Nothing else depends on another resource's
/// compiled form: a listener names its route table and a route its clusters, both looked up per request.</summary>
internal sealed class ModelUpdate(ProxyModel previous, ResourceSet resources)
{
    private readonly List<string> _errors = [];
    private readonly ImmutableDictionary<string, ListenerModel>.Builder _listeners = previous.Listeners.ToBuilder();
    private readonly ImmutableDictionary<string, RouteTable>.Builder _routes = previous.Routes.ToBuilder();
    private readonly ImmutableDictionary<string, UpstreamCluster>.Builder _clusters = previous.Clusters.ToBuilder();
    private readonly ImmutableDictionary<string, Gateway.GatewayListener>.Builder _gateways = previous.Gateways.ToBuilder();
    private readonly ImmutableDictionary<string, Gateway.TlsSecret>.Builder _secrets = previous.Secrets.ToBuilder();
    private InboundModel? _inbound = previous.Inbound;
    private Security.TrustedRoots? _trust = previous.TrustedRoots;
    private ModelReferences _references = previous.References;

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The model, or null when something did not compile (see <see cref="Errors"/>).</summary>
    public ProxyModel? Model => _errors.Count > 0 ? null
        : new ProxyModel(resources, _listeners.ToImmutable(), _routes.ToImmutable(), _clusters.ToImmutable())         {
            Inbound = _inbound,
            TrustedRoots = _trust,
            References = _references,
            Gateways = _gateways.ToImmutable(),
            Secrets = _secrets.ToImmutable(),
        };

    /// <summary>Brings the resource <paramref name="name"/> of <paramref name="type"/> (stored, changed or removed) into
    /// the model, with whatever depends on it.</summary>
    public void Touch(string type, string name)
    {
        var before = previous.Resources.Of(type).GetValueOrDefault(name)?.Message;
        var now = resources.Of(type).GetValueOrDefault(name)?.Message;
        if (!Equals(before, now)) Refer(type, before, now);
        switch (type)
        {
            case TypeUrls.Route:
                Route(name);
                break;
            case TypeUrls.Listener:
                Listener(name);
                break;
            case TypeUrls.Cluster:
                Cluster(name, endpointsChanged: false);
                break;
            case TypeUrls.Endpoint:
                Endpoints(name);
                break;
            case TypeUrls.Secret when name == SecretNames.RootCa:
                Trust();
                break;
            case TypeUrls.Secret:
                Secret(name);
                break;
        }
    }

    /// <summary>One resource's references change from those of <paramref name="before"/> to those of
    /// <paramref name="now"/> (either may be absent).</summary>
    private void Refer(string type, IMessage? before, IMessage? now)
    {
        _references = type switch
        {
            TypeUrls.Listener => _references with
            {
                Routes = _references.Routes.Change(RoutesOf(before), RoutesOf(now)),
                Clusters = _references.Clusters.Change(Gateway(before).Clusters, Gateway(now).Clusters),
                Secrets = _references.Secrets.Change(Gateway(before).Secrets, Gateway(now).Secrets),
            },
            TypeUrls.Route => _references with { Clusters = _references.Clusters.Change(ClustersOf(before), ClustersOf(now)) },
            TypeUrls.Cluster => _references with { Endpoints = _references.Endpoints.Change(EndpointsOf(before), EndpointsOf(now)) },
            _ => _references,
        };
        static IEnumerable<string> RoutesOf(IMessage? listener) => listener is not Listener l ? []
            : IsGateway(l.Name, out _) ? Gateway(l).Routes
            : ModelCompiler.RouteNameOf(l) is { } name ? [name] : [];
        static (IEnumerable<string> Routes, IEnumerable<string> Clusters, IEnumerable<string> Secrets) Gateway(IMessage? listener)
            => listener is Listener l && IsGateway(l.Name, out _) ? Config.Gateway.GatewayListenerCompiler.References(l) : ([], [], []);
        static IEnumerable<string> ClustersOf(IMessage? routes) => routes is RouteConfiguration r ? ModelCompiler.ClustersOf(r) : [];
        static IEnumerable<string> EndpointsOf(IMessage? cluster) => cluster is Cluster c && ModelCompiler.EndpointNameOf(c) is { } name ? [name] : [];
    }

    private void Route(string name)
    {
        if (resources.Get<RouteConfiguration>(TypeUrls.Route, name) is not { } configuration)
        {
            _routes.Remove(name);
            return;
        }
        var before = Previous<RouteConfiguration>(TypeUrls.Route, name);
        var held = previous.Routes.GetValueOrDefault(name);
        if (held is not null && configuration.Equals(before)) return;
        var table = RouteCompiler.Compile(configuration, $"RouteConfiguration {name}", _errors, RouteCompiler.Reusable(before, held));
        if (table is not null) _routes[name] = table;
    }

    private void Listener(string name)
    {
        var listener = resources.Get<Listener>(TypeUrls.Listener, name);
        if (InboundListenerName.IsInbound(name))
        {
            if (listener is null) _inbound = null;
            else if (previous.Inbound is null || !listener.Equals(Previous<Listener>(TypeUrls.Listener, name))) _inbound = InboundCompiler.Compile(listener, _errors, previous.Inbound);
            return;
        }
        if (IsGateway(name, out var port))
        {
            if (listener is null) _gateways.Remove(name);
            else if (!previous.Gateways.ContainsKey(name) || !listener.Equals(Previous<Listener>(TypeUrls.Listener, name)))
            {
                var compiled = Config.Gateway.GatewayListenerCompiler.Compile(listener, port, _errors, previous.Gateways.GetValueOrDefault(name));
                if (compiled is { } gateway) _gateways[name] = gateway;
            }
            return;
        }
        if (listener is null)
        {
            _listeners.Remove(name);
            return;
        }
        if (previous.Listeners.ContainsKey(name) && listener.Equals(Previous<Listener>(TypeUrls.Listener, name))) return;
        if (ListenerCompiler.Compile(listener, _errors) is { } model) _listeners[name] = model;
    }

    private void Trust()
    {
        var secret = resources.Get<Secret>(TypeUrls.Secret, SecretNames.RootCa);
        if (secret is not null && previous.TrustedRoots is not null && secret.Equals(Previous<Secret>(TypeUrls.Secret, SecretNames.RootCa))) return;
        _trust = TrustCompiler.Compile(resources, _errors);
    }

    /// <summary>A secret a gateway's chains name (any but ROOTCA). One that has not arrived is simply not in the
    /// model: its chains refuse handshakes until it does.</summary>
    private void Secret(string name)
    {
        if (resources.Get<Secret>(TypeUrls.Secret, name) is not { } secret)
        {
            _secrets.Remove(name);
            return;
        }
        if (previous.Secrets.ContainsKey(name) && secret.Equals(Previous<Secret>(TypeUrls.Secret, name))) return;
        if (Config.Gateway.TlsSecretCompiler.Compile(secret, name, _errors) is { } compiled) _secrets[name] = compiled;
    }

    private static bool IsGateway(string name, out int port) => XdsNames.TryParseGatewayListener(name, out _, out _, out port);

    /// <param name="endpointsChanged">Its EDS assignment changed: compile it even if the cluster itself did not.</param>
    private void Cluster(string name, bool endpointsChanged)
    {
        if (resources.Get<Cluster>(TypeUrls.Cluster, name) is not { } cluster)
        {
            _clusters.Remove(name);
            return;
        }
        if (!endpointsChanged && previous.Clusters.ContainsKey(name) && cluster.Equals(Previous<Cluster>(TypeUrls.Cluster, name))) return;
        var serviceName = ServiceNameOf(name, cluster);
        var assignment = cluster.Type == Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds
            ? resources.Get<ClusterLoadAssignment>(TypeUrls.Endpoint, serviceName)
            : cluster.LoadAssignment;
        var version = resources.Of(TypeUrls.Endpoint).TryGetValue(serviceName, out var eds) ? eds.Version : resources.Of(TypeUrls.Cluster)[name].Version;
        if (ClusterCompiler.Compile(cluster, assignment, _errors) is { } model) _clusters[name] = model with { EndpointsVersion = version };
    }

    /// <summary>An EDS assignment changed: the clusters that take it are compiled again.</summary>
    private void Endpoints(string name)
    {
        var assignment = resources.Get<ClusterLoadAssignment>(TypeUrls.Endpoint, name);
        var before = Previous<ClusterLoadAssignment>(TypeUrls.Endpoint, name);
        if (assignment is not null && assignment.Equals(before)) return;
        foreach (var (clusterName, resource) in resources.Of(TypeUrls.Cluster))
        {
            if (ServiceNameOf(clusterName, (Cluster)resource.Message) == name) Cluster(clusterName, endpointsChanged: true);
        }
    }

    /// <summary>The name of the EDS assignment (and endpoints version) a cluster reads.</summary>
    private static string ServiceNameOf(string name, Cluster cluster) => cluster.EdsClusterConfig?.ServiceName is { Length: > 0 } service ? service : name;

    private T? Previous<T>(string type, string name) where T : class, IMessage => previous.Resources.Get<T>(type, name);
}

using System.Collections.Concurrent;
using Mesh.Config.GatewayApi;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Grains.Gateways;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation;
using Mesh.Xds.Translation.ApiPolicies;
using Mesh.Xds.Translation.Gateways;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>Gateway listeners and route configurations (<c>gateway|NS|WORKLOAD|PORT</c>) in use on this silo,
/// translated from the gateways that select the workload (by the labels it registered) and the routes bound to them,
/// and re-translated when a gateway, a bound route, the directory or a workload changes; only those whose content
/// changed are announced.</summary>
internal sealed partial class GatewayResources
{
    private static readonly IComparer<XdsResourceKey> KeyOrder = Comparer<XdsResourceKey>.Create((a, b) =>
        string.CompareOrdinal(a.Type, b.Type) is var byType and not 0 ? byType : string.CompareOrdinal(a.Name, b.Name));
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly GatewaySource _gateways;
    private readonly ApiPolicySource _policies;
    private readonly InboundPolicySource _workloads;
    private readonly ServiceModelCache _services;
    // The only port of each destination service a gateway route names without one (0: several or none).
    private readonly ConcurrentDictionary<string, int> _servicePorts = new(StringComparer.Ordinal);
    private readonly HttpListenerSettings _listenerSettings;
    private readonly RetranslatedResources<XdsResourceKey> _resources;
    private readonly Security.TrustStore _trust;
    private readonly string _rootNamespace;

    public GatewayResources(GatewaySource gateways, InboundPolicySource workloads, ServiceModelCache services, Security.TrustStore trust,
        ApiPolicySource policies, IOptions<XdsOptions> options, Microsoft.Extensions.Logging.ILogger<GatewayResources> logger)
    {
        _trust = trust;
        _rootNamespace = options.Value.RootNamespace;
        _policies = policies;
        _logger = logger;
        _gateways = gateways;
        _workloads = workloads;
        _services = services;
        _services.Changed += OnServiceChanged;
        _listenerSettings = HttpListenerSettings.Of(options.Value);
        _resources = new RetranslatedResources<XdsResourceKey>(Translate);
        _gateways.Changed += () => _ = Recompute(null);
        _policies.Changed += () => _ = Recompute(null);
        // A policy of the root namespace applies to gateways of every namespace.
        _workloads.Changed += @namespace => _ = Recompute(@namespace == _rootNamespace ? null : @namespace);
    }

    /// <summary>Resources whose content changed. Handlers must not block.</summary>
    public event Action<IReadOnlyList<XdsResourceKey>, ChangeOrigin>? Changed;

    public static bool Serves(string typeUrl, string name) =>
        typeUrl is TypeUrls.Listener or TypeUrls.Route && name.StartsWith(XdsNames.GatewayPrefix, StringComparison.Ordinal);

    public Task<XdsResource?> Get(XdsResourceKey key) => _resources.Get(key);

    private async Task<XdsResource?> Translate(XdsResourceKey key)
    {
        if (!XdsNames.TryParseGatewayListener(key.Name, out var @namespace, out var workload, out var port)) return null;
        var gateways = await Selecting(@namespace, workload);
        var inputs = new GatewayInputs(gateways, await ServicePorts(gateways)) { ApiPolicies = key.Type == TypeUrls.Route ? await ApiPolicies() : [] };
        if (key.Type == TypeUrls.Listener) inputs = inputs with { Security = await Security(@namespace, workload) };
        Google.Protobuf.IMessage? message = key.Type == TypeUrls.Listener
            ? GatewayListenerTranslator.Translate(@namespace, workload, port, inputs, _listenerSettings)
            : GatewayRouteTranslator.Translate(@namespace, workload, port, inputs);
        return message is null ? null : XdsResource.Of(key.Type, key.Name, message);
    }

    /// <summary>The JWT and RBAC filters of the gateway workload, from the policies of its namespace and the root
    /// namespace that select its labels: what a sidecar's inbound listener would enforce for it.</summary>
    private async Task<IReadOnlyList<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter>> Security(string @namespace, string workload)
    {
        var labels = (await _workloads.Workload(@namespace, workload))?.Labels ?? new Dictionary<string, string>();
        var policies = (await _workloads.Policies(@namespace)).Concat(@namespace == _rootNamespace ? [] : await _workloads.Policies(_rootNamespace)).ToList();
        var bundle = await _trust.Bundle();
        return Translation.Security.InboundPolicyTranslator.Translate(policies, @namespace, labels, _rootNamespace, bundle.TrustDomain).Filters;
    }

    /// <summary>The gateways whose selection includes the workload's labels, by key, with their bound routes (also what
    /// decides which granted credentials the workload may fetch, <see cref="Security.CredentialEntitlement"/>).</summary>
    public async Task<IReadOnlyList<BoundGateway>> Selecting(string @namespace, string workload)
    {
        if (await _workloads.Workload(@namespace, workload) is not { } facts) return [];
        var keys = (await _gateways.All()).Where(s => s.Selects(@namespace, facts.Labels)).Select(s => s.GatewayKey);
        var models = await Task.WhenAll(keys.Select(_gateways.Model));
        return [.. models.Select(Bound).OfType<BoundGateway>()];
    }

    /// <summary>The port of each single-port service the routes send to without naming a port.</summary>
    private async Task<IReadOnlyDictionary<string, int>> ServicePorts(IReadOnlyList<BoundGateway> gateways)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var host in GatewayInputs.PortlessHosts(gateways))
        {
            if (!_servicePorts.TryGetValue(host, out var port)) _servicePorts[host] = port = OnlyPort(await _services.Get(host));
            if (port > 0) ports[host] = port;
        }
        return ports;
    }

    private static int OnlyPort(Grains.Services.ServiceModel model) => model.Ports.Count == 1 ? model.Ports[0].Port.Number : 0;

    /// <summary>A destination service's ports changed: the routes that send to it without a port are translated again.</summary>
    private void OnServiceChanged(Grains.Services.ServiceModel model)
    {
        if (!_servicePorts.TryGetValue(model.Host, out var known) || known == OnlyPort(model)) return;
        _servicePorts[model.Host] = OnlyPort(model);
        _ = Recompute(null);
    }

    private async Task<IReadOnlyList<ApiPolicyInput>> ApiPolicies() =>
        [.. (await _policies.All()).Select(p => new ApiPolicyInput(p.Key, p.Namespace, SpecViews.ApiPolicy(p)))];

    private static BoundGateway? Bound(GatewayModel model)
    {
        if (model.Gateway is not { } gateway) return null;
        var key = ResourceKey.Parse(model.Key);
        if (key.Kind == KindNames.GatewayApiGateway)
        {
            // Converted by the Gateway API grain into the views Istio's path reads; its routes name it by its reference.
            var converted = model.Routes.Select(r => new BoundRoute(r.Key, r.Namespace, SpecViews.ConvertedVirtualService(r))).ToList();
            return new BoundGateway(key.Namespace, GatewayApiNames.GatewayReferenceName(key.Name), SpecViews.ConvertedGateway(gateway), converted);
        }
        var routes = model.Routes.Select(r => new BoundRoute(r.Key, r.Namespace, SpecViews.VirtualService(r))).ToList();
        return new BoundGateway(key.Namespace, key.Name, SpecViews.Gateway(gateway), routes);
    }

    /// <param name="workloadNamespace">The namespace whose workloads changed, or null when gateways did.</param>
    private async Task Recompute(string? workloadNamespace)
    {
        var changed = await _resources.Retranslate(
            key => workloadNamespace is null || XdsNames.TryParseGatewayListener(key.Name, out var ns, out _, out _) && ns == workloadNamespace,
            KeyOrder,
            exception => LogRecomputeFailed(_logger, exception));
        if (changed.Count > 0) Changed?.Invoke(changed, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 5421, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not re-translate the gateway resources; retrying")]
    private static partial void LogRecomputeFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception);
}

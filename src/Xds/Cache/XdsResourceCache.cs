using System.Collections.Concurrent;
using Google.Protobuf;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Cache;

/// <summary>Envoy resources by type and name, translated from service models once per change on this silo,
/// and the single place that tells streams which of their resources changed.</summary>
public sealed partial class XdsResourceCache
{
    private readonly ServiceModelCache _models;
    private readonly ConcurrentDictionary<(string Type, string Name), (ServiceModel Model, XdsResource? Resource)> _computed = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Type, string Name), byte>> _namesByHost = new(StringComparer.Ordinal);

    private readonly ILogger _logger;

    private readonly Security.TrustStore _trust;
    private readonly InboundListeners _inbound;

    private readonly InboundPolicySource _policies;
    private volatile Tuple<string, XdsResource>? _rootCa;
    private readonly string _rootNamespace;
    private readonly HttpListenerSettings _listenerSettings;

    public XdsResourceCache(ServiceModelCache models, Security.TrustStore trust, InboundListeners inbound, InboundPolicySource policies,
        Microsoft.Extensions.Options.IOptions<XdsOptions> options, ILogger<XdsResourceCache> logger)
    {
        _policies = policies;
        _rootNamespace = options.Value.RootNamespace;
        _listenerSettings = HttpListenerSettings.Of(options.Value);
        _policies.Changed += OnPoliciesChanged;
        _models = models;
        _trust = trust;
        _inbound = inbound;
        _inbound.Changed += (names, origin) => ResourcesChanged?.Invoke(names, origin);
        _logger = logger;
        _models.Changed += OnModelChanged;
        _trust.Changed += _ => ResourcesChanged?.Invoke([(TypeUrls.Secret, SecretNames.RootCa)], new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    /// <summary>Changed resources of one host, in make-before-break order, with when the change began.</summary>
    public event Action<IReadOnlyList<(string Type, string Name)>, ChangeOrigin>? ResourcesChanged;

    /// <summary>The resource, or null when it does not exist (an unknown host, port or subset, or a name Mesh did not make).</summary>
    public async Task<XdsResource?> Get(string typeUrl, string name)
    {
        if (typeUrl == TypeUrls.Secret)
        {
            return name == SecretNames.RootCa ? RootCa(await _trust.Bundle()) : null;
        }
        if (typeUrl == TypeUrls.Listener && InboundListenerName.IsInbound(name))
        {
            return await _inbound.Get(name);
        }
        var host = XdsNames.HostOf(typeUrl, name);
        if (host is null) return null;
        var model = await _models.Get(host);
        _namesByHost.GetOrAdd(host, _ => new()).TryAdd((typeUrl, name), 0);
        if (_computed.TryGetValue((typeUrl, name), out var computed) && ReferenceEquals(computed.Model, model)) return computed.Resource;
        var resource = Translate(typeUrl, name, model);
        _computed[(typeUrl, name)] = (model, resource);
        return resource;
    }

    private void OnModelChanged(ServiceModel model)
    {
        if (!_namesByHost.TryGetValue(model.Host, out var names))
        {
            LogModelChanged(_logger, model.Host, 0, 0);
            return;
        }
        var changed = new List<(string Type, string Name)>();
        foreach (var key in names.Keys.OrderBy(k => PushRank(k.Type)).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            var before = _computed.TryGetValue(key, out var computed) ? computed.Resource : null;
            var after = Translate(key.Type, key.Name, model);
            _computed[key] = (model, after);
            if (before?.Version != after?.Version) changed.Add(key);
        }
        LogModelChanged(_logger, model.Host, names.Count, changed.Count);
        if (changed.Count > 0) ResourcesChanged?.Invoke(changed, new ChangeOrigin(model.ChangedAt, model.TraceParent));
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Service {Host} changed: {Changed} of its {Known} resources in use here changed")]
    private static partial void LogModelChanged(ILogger logger, string host, int known, int changed);

    private static int PushRank(string typeUrl)
    {
        for (var rank = 0; rank < TypeUrls.PushOrder.Count; rank++)
        {
            if (TypeUrls.PushOrder[rank] == typeUrl) return rank;
        }
        return int.MaxValue;
    }

    /// <summary>The trust bundle as SDS <c>ROOTCA</c>, serialized once per bundle version, not once per stream.</summary>
    private XdsResource RootCa(Grains.Security.TrustBundle bundle)
    {
        if (_rootCa is { } cached && cached.Item1 == bundle.Version) return cached.Item2;
        var resource = XdsResource.Of(TypeUrls.Secret, SecretNames.RootCa, SecretTranslator.RootCaSecret(bundle));
        _rootCa = Tuple.Create(bundle.Version, resource);
        return resource;
    }

    /// <summary>A namespace's PeerAuthentications may have changed: endpoints of its workloads are re-translated, since
    /// auto mTLS does not send mTLS to a workload whose mode is DISABLE.</summary>
    private void OnPoliciesChanged(string @namespace)
    {
        var changed = new List<(string Type, string Name)>();
        foreach (var (key, (model, before)) in _computed.ToArray())
        {
            if (key.Type != TypeUrls.Endpoint) continue;
            if (@namespace != _rootNamespace && !model.Ports.Any(p => p.Endpoints.Any(e => e.WorkloadKey.StartsWith(@namespace + "/", StringComparison.Ordinal)))) continue;
            var after = Translate(key.Type, key.Name, model);
            if (!_computed.TryUpdate(key, (model, after), (model, before))) continue;
            if (before?.Version != after?.Version) changed.Add(key);
        }
        if (changed.Count > 0) ResourcesChanged?.Invoke(changed, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    /// <summary>Whether the workload behind an endpoint has PeerAuthentication DISABLE (false while unknown).</summary>
    private bool PlaintextOnly(EndpointAddress endpoint)
    {
        var slash = endpoint.WorkloadKey.IndexOf('/');
        if (slash <= 0 || endpoint.WorkloadKey.StartsWith("ServiceEntry/", StringComparison.Ordinal)) return false;
        var @namespace = endpoint.WorkloadKey[..slash];
        if (!_policies.TryPolicies(@namespace, out var own)) return false;
        IReadOnlyList<ConfigSpec> root = [];
        if (@namespace != _rootNamespace && !_policies.TryPolicies(_rootNamespace, out root)) return false;
        var mtls = Translation.Security.PeerAuthenticationTranslator.Effective([.. own, .. root], @namespace, endpoint.Labels, _rootNamespace);
        // Port-level modes are for the application's ports, which the endpoint (the sidecar's inbound port) does not
        // name: a workload with any port that takes mTLS keeps getting mTLS.
        const string disable = Translation.Security.PeerAuthenticationTranslator.Disable;
        return mtls.Mode == disable && mtls.Ports.Values.All(m => m == disable);
    }

    private XdsResource? Translate(string typeUrl, string name, ServiceModel model)
    {
        IMessage? message = null;
        switch (typeUrl)
        {
            case TypeUrls.Listener when XdsNames.TryParseListener(name, out var host, out var port) && Serves(model, port):
                message = ProxylessTranslator.Listener(host, port, _listenerSettings);
                break;
            case TypeUrls.Route when XdsNames.TryParseListener(name, out _, out var port) && Serves(model, port):
                message = ProxylessTranslator.RouteConfiguration(model, port);
                break;
            case TypeUrls.Cluster when XdsNames.TryParseCluster(name, out var port, out var subset, out _):
                message = ProxylessTranslator.Cluster(model, port, subset);
                break;
            case TypeUrls.Endpoint when XdsNames.TryParseCluster(name, out var port, out var subset, out _):
                message = ProxylessTranslator.LoadAssignment(model, port, subset, PlaintextOnly);
                break;
        }
        return message is null ? null : XdsResource.Of(typeUrl, name, message);
    }

    /// <summary>A listener exists for a port a ServiceEntry declares, or for any port of a host a VirtualService names.</summary>
    private static bool Serves(ServiceModel model, int port) =>
        model.Ports.Any(p => p.Port.Number == port) || model.VirtualServices.Count > 0;
}

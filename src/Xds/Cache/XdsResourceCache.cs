using System.Collections.Concurrent;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Mesh.Xds.Translation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>The cache the xDS server sees: gathers each resource's inputs (the service model, the PeerAuthentications
/// of its workloads, the trust bundle, gateway credentials), has <see cref="ResourceTranslation"/> translate them once per change on this
/// silo, and keeps the result in the <see cref="XdsResourceStore"/>, which tells the watching streams.</summary>
internal sealed partial class XdsResourceCache : IXdsCache
{
    private readonly XdsResourceStore _store;
    private readonly ServiceModelCache _models;
    private readonly InboundPolicySource _policies;
    private readonly InboundListeners _inbound;
    private readonly GatewayResources _gateways;
    private readonly TrustStore _trust;
    private readonly SecretResources _credentials;
    private readonly string _rootNamespace;
    private readonly HttpListenerSettings _listenerSettings;
    private readonly ILogger _logger;
    // Which resources in use here each host's model is an input of.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<XdsResourceKey, byte>> _namesByHost = new(StringComparer.Ordinal);

    public XdsResourceCache(XdsResourceStore store, ServiceModelCache models, InboundPolicySource policies, InboundListeners inbound,
        GatewayResources gateways, TrustStore trust, SecretResources credentials, IOptions<XdsOptions> options, ILogger<XdsResourceCache> logger)
    {
        _store = store;
        _models = models;
        _policies = policies;
        _inbound = inbound;
        _gateways = gateways;
        _trust = trust;
        _credentials = credentials;
        _rootNamespace = options.Value.RootNamespace;
        _listenerSettings = HttpListenerSettings.Of(options.Value);
        _logger = logger;
        _models.Changed += OnModelChanged;
        _policies.Changed += OnPoliciesChanged;
        _inbound.Changed += _store.Announce;
        _gateways.Changed += _store.Announce;
        _trust.Changed += bundle => _store.Update(
            [new((TypeUrls.Secret, SecretNames.RootCa), bundle.Version, ResourceTranslation.RootCa(bundle))],
            new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    public async Task<XdsResource?> Get(string typeUrl, string name)
    {
        if (typeUrl == TypeUrls.Secret)
        {
            // A workload's own key never leaves its sidecar: the trust bundle and gateway credentials are all served here.
            if (SecretResources.Serves(name)) return await _credentials.Get(name);
            if (name != SecretNames.RootCa) return null;
            var bundle = await _trust.Bundle();
            return _store.Get((typeUrl, name), bundle.Version, () => ResourceTranslation.RootCa(bundle));
        }
        if (typeUrl == TypeUrls.Listener && InboundListenerName.IsInbound(name)) return await _inbound.Get(name);
        if (GatewayResources.Serves(typeUrl, name)) return await _gateways.Get((typeUrl, name));
        var host = XdsNames.HostOf(typeUrl, name);
        if (host is null) return null;
        var model = await _models.Get(host);
        _namesByHost.GetOrAdd(host, _ => new()).TryAdd((typeUrl, name), 0);
        return _store.Get((typeUrl, name), model, () => Translate((typeUrl, name), model));
    }

    public void Watch(IXdsWatcher watcher, string typeUrl, string name) => _store.Watch(watcher, typeUrl, name);

    public void Unwatch(IXdsWatcher watcher, string typeUrl, string name) => _store.Unwatch(watcher, typeUrl, name);

    private XdsResource? Translate(XdsResourceKey key, ServiceModel model)
    {
        var peers = key.Type == TypeUrls.Endpoint && XdsNames.TryParseCluster(key.Name, out var port, out _, out _)
            ? PeerAuthentications.Of(Endpoints(model, port), _rootNamespace, _policies.TryPolicies)
            : PeerAuthentications.None;
        return ResourceTranslation.OfService(key.Type, key.Name, model, peers, _listenerSettings);
    }

    /// <summary>The endpoints whose mTLS depends on policy: those of workloads with a sidecar (tlsMode label).</summary>
    private static IEnumerable<EndpointAddress> Endpoints(ServiceModel model, int port) =>
        model.Ports.Where(p => p.Port.Number == port).SelectMany(p => p.Endpoints)
            .Where(e => e.Labels.ContainsKey(MeshIdentity.TlsModeLabel));

    private void OnModelChanged(ServiceModel model)
    {
        if (!_namesByHost.TryGetValue(model.Host, out var names))
        {
            LogModelChanged(_logger, model.Host, 0, 0);
            return;
        }
        var translated = names.Keys
            .OrderBy(k => PushRank(k.Type)).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Select(key => new XdsResourceStore.Translated(key, model, Translate(key, model)))
            .ToList();
        var changed = _store.Update(translated, new ChangeOrigin(model.ChangedAt, model.TraceParent));
        LogModelChanged(_logger, model.Host, names.Count, changed.Count);
    }

    /// <summary>A namespace's PeerAuthentications may have changed: endpoints of its workloads are translated again,
    /// since auto mTLS does not send mTLS to a workload whose mode is DISABLE.</summary>
    private void OnPoliciesChanged(string @namespace)
    {
        var translated = new List<XdsResourceStore.Translated>();
        foreach (var (key, input) in _store.Inputs())
        {
            if (key.Type != TypeUrls.Endpoint || input is not ServiceModel model) continue;
            if (!XdsNames.TryParseCluster(key.Name, out var port, out _, out _)) continue;
            if (!PeerAuthentications.Concerns(@namespace, _rootNamespace, Endpoints(model, port))) continue;
            translated.Add(new(key, model, Translate(key, model), Replaces: model));
        }
        _store.Update(translated, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    private static int PushRank(string typeUrl)
    {
        for (var rank = 0; rank < TypeUrls.PushOrder.Count; rank++)
        {
            if (TypeUrls.PushOrder[rank] == typeUrl) return rank;
        }
        return int.MaxValue;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Service {Host} changed: {Changed} of its {Known} resources in use here changed")]
    private static partial void LogModelChanged(ILogger logger, string host, int known, int changed);
}

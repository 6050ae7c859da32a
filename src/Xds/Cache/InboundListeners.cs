using System.Collections.Concurrent;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Mesh.Xds.Translation.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>Sidecar inbound listeners (<c>virtualInbound|NS|WORKLOAD</c>) in use on this silo, translated from the
/// workload's labels and the security policy of its namespace and the root namespace, and re-translated when
/// either changes; only those whose content changed are announced.</summary>
public sealed class InboundListeners
{
    private readonly InboundPolicySource _source;
    private readonly TrustStore _trust;
    private readonly XdsOptions _options;
    private readonly ConcurrentDictionary<string, XdsResource?> _computed = new(StringComparer.Ordinal);

    public InboundListeners(InboundPolicySource source, TrustStore trust, IOptions<XdsOptions> options)
    {
        _source = source;
        _trust = trust;
        _options = options.Value;
        _source.Changed += ns => _ = Recompute(ns);
    }

    /// <summary>Listeners whose content changed. Handlers must not block.</summary>
    public event Action<IReadOnlyList<(string Type, string Name)>, ChangeOrigin>? Changed;

    public async Task<XdsResource?> Get(string name)
    {
        if (_computed.TryGetValue(name, out var known)) return known;
        var resource = await Translate(name);
        _computed[name] = resource;
        return resource;
    }

    private async Task<XdsResource?> Translate(string name)
    {
        if (!InboundListenerTranslator.TryParse(name, out var @namespace, out var workload)) return null;
        var labels = await _source.WorkloadLabels(@namespace, workload) ?? new Dictionary<string, string>();
        var root = _options.RootNamespace;
        var policies = (await _source.Policies(@namespace)).Concat(@namespace == root ? [] : await _source.Policies(root)).ToList();
        var bundle = await _trust.Bundle();
        var listener = InboundListenerTranslator.Translate(name, policies, @namespace, labels, root, bundle.TrustDomain);
        return XdsResource.Of(TypeUrls.Listener, name, listener);
    }

    private async Task Recompute(string changedNamespace)
    {
        var changed = new List<(string Type, string Name)>();
        foreach (var name in _computed.Keys.Order(StringComparer.Ordinal))
        {
            if (!InboundListenerTranslator.TryParse(name, out var @namespace, out _)) continue;
            if (@namespace != changedNamespace && changedNamespace != _options.RootNamespace) continue;
            var before = _computed.TryGetValue(name, out var b) ? b : null;
            var after = await Translate(name);
            _computed[name] = after;
            if (before?.Version != after?.Version) changed.Add((TypeUrls.Listener, name));
        }
        if (changed.Count > 0) Changed?.Invoke(changed, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }
}

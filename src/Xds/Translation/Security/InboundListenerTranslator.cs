using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Security;

/// <summary>One sidecar workload's inbound listener, in Envoy's shape: a filter chain per transport the mTLS mode
/// accepts (TLS requiring a client certificate from the mesh's CA, through SDS <c>default</c> and <c>ROOTCA</c>; plain
/// text), per port where a port-level mode differs, each with the workload's JWT and RBAC filters before the router.
/// Envoy would enforce the same as Mesh's sidecar, which compiles this listener.</summary>
public static class InboundListenerTranslator
{
    public const string Tls = "tls";
    public const string RawBuffer = "raw_buffer";

    public static Listener Translate(string name, IReadOnlyList<ConfigSpec> policies, string @namespace, IReadOnlyDictionary<string, string> labels, string rootNamespace, string trustDomain,
        HttpListenerSettings? settings = null)
    {
        settings ??= HttpListenerSettings.Default;
        var mtls = PeerAuthenticationTranslator.Effective(policies, @namespace, labels, rootNamespace);
        var http = InboundPolicyTranslator.Translate(policies, @namespace, labels, rootNamespace, trustDomain);
        var listener = new Listener { Name = name, TrafficDirection = TrafficDirection.Inbound };
        foreach (var (port, mode) in mtls.Ports)
        {
            foreach (var chain in Chains(mode, port, http, settings)) listener.FilterChains.Add(chain);
        }
        foreach (var chain in Chains(mtls.Mode, null, http, settings)) listener.FilterChains.Add(chain);
        if (http.Warnings.Count > 0)
        {
            var warnings = new Struct();
            warnings.Fields["warnings"] = Value.ForList([.. http.Warnings.Select(Value.ForString)]);
            listener.Metadata = new Metadata();
            listener.Metadata.FilterMetadata["mesh"] = warnings;
        }
        return listener;
    }

    private static IEnumerable<FilterChain> Chains(string mode, uint? port, InboundHttpPolicy http, HttpListenerSettings settings)
    {
        if (mode is PeerAuthenticationTranslator.Strict or PeerAuthenticationTranslator.Permissive) yield return Chain(Tls, port, http, mode, settings);
        if (mode is PeerAuthenticationTranslator.Permissive or PeerAuthenticationTranslator.Disable) yield return Chain(RawBuffer, port, http, mode, settings);
    }

    private static FilterChain Chain(string transport, uint? port, InboundHttpPolicy http, string mode, HttpListenerSettings settings)
    {
        var match = new FilterChainMatch { TransportProtocol = transport };
        if (port is { } p) match.DestinationPort = p;
        var manager = new HttpConnectionManager
        {
            StatPrefix = "inbound",
            RouteConfig = new RouteConfiguration
            {
                Name = "inbound",
                VirtualHosts =
                {
                    new VirtualHost
                    {
                        Name = "inbound",
                        Domains = { "*" },
                        Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = $"inbound|{port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}||" } } },
                    },
                },
            },
        };
        settings.ApplyInbound(manager);
        manager.HttpFilters.Add(http.Filters);
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Router, TypedConfig = Any.Pack(new Router()) });
        var chain = new FilterChain
        {
            Name = $"inbound|{port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*"}|{transport}|{mode}",
            FilterChainMatch = match,
            Filters = { new Filter { Name = EnvoyFilters.HttpConnectionManager, TypedConfig = Any.Pack(manager) } },
        };
        if (transport == Tls)
        {
            var context = new DownstreamTlsContext
            {
                RequireClientCertificate = true,
                CommonTlsContext = new CommonTlsContext
                {
                    TlsCertificateSdsSecretConfigs = { new SdsSecretConfig { Name = SecretNames.Default, SdsConfig = ProtoValues.Ads() } },
                    ValidationContextSdsSecretConfig = new SdsSecretConfig { Name = SecretNames.RootCa, SdsConfig = ProtoValues.Ads() },
                    AlpnProtocols = { "h2", "http/1.1" },
                },
            };
            chain.TransportSocket = new TransportSocket { Name = EnvoyFilters.TlsTransportSocket, TypedConfig = Any.Pack(context) };
        }
        return chain;
    }

}

using Mesh.Config.Views.DestinationRules;
using HashPolicy = Envoy.Config.Route.V3.RouteAction.Types.HashPolicy;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>consistentHash</c> → the route's hash policy (gRFC A42). gRPC clients hash only on
/// headers and on the <c>io.grpc.channel_id</c> filter state; cookie, source IP and query parameter policies yield
/// no hash for them (a random pick), as A42 specifies.</summary>
internal static class HashPolicyTranslator
{
    /// <summary>The filter state key gRPC hashes per channel: its stand-in for Envoy's source IP.</summary>
    public const string ChannelIdKey = "io.grpc.channel_id";

    public static IReadOnlyList<HashPolicy> Translate(ConsistentHash? consistentHash)
    {
        if (consistentHash is null) return [];
        if (consistentHash.HttpHeaderName is { } header)
        {
            return [new HashPolicy { Header = new HashPolicy.Types.Header { HeaderName = header } }];
        }
        if (consistentHash.HttpCookie is { } cookie)
        {
            var translated = new HashPolicy.Types.Cookie { Name = cookie.Name };
            if (cookie.Path is { } path) translated.Path = path;
            if (ProtoValues.Duration(cookie.TtlNanos) is { } ttl) translated.Ttl = ttl;
            return [new HashPolicy { Cookie = translated }];
        }
        if (consistentHash.UseSourceIp)
        {
            return
            [
                new HashPolicy { ConnectionProperties = new HashPolicy.Types.ConnectionProperties { SourceIp = true } },
                new HashPolicy { FilterState = new HashPolicy.Types.FilterState { Key = ChannelIdKey } },
            ];
        }
        if (consistentHash.HttpQueryParameterName is { } parameter)
        {
            return [new HashPolicy { QueryParameter = new HashPolicy.Types.QueryParameter { Name = parameter } }];
        }
        return [];
    }
}

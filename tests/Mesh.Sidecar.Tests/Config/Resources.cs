using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Tests.Config;

/// <summary>xDS resources as a control plane sends them, written in Envoy's JSON, compiled as the sidecar compiles them.</summary>
internal static class Resources
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(
        TypeRegistry.FromMessages(Envoy.Extensions.Filters.Http.Fault.V3.HTTPFault.Descriptor,
            Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy.Descriptor, FilterConfig.Descriptor)));

    public static T Parse<T>(string json) where T : IMessage, new() => Parser.Parse<T>(json);

    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(string type, string name, IMessage message)
        => ModelCompiler.Compile(ResourceSet.Empty.With(type, [new ReceivedResource(name, "1", message)], [], "1"));

    /// <summary>A route configuration with one virtual host whose only route is <paramref name="route"/> (JSON).</summary>
    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Routes(string route, string hostExtra = "")
        => Compile(TypeUrls.Route, "r", Configuration(route, hostExtra));

    public static RouteConfiguration Configuration(string route, string hostExtra = "") => Parse<RouteConfiguration>($$$"""
        {"name": "r", "virtual_hosts": [{"name": "h", "domains": ["*"]{{{hostExtra}}}, "routes": [{{{route}}}]}]}
        """);

    public static RouteEntry Route(string route)
    {
        var (model, errors) = Routes(route);
        Assert.Empty(errors);
        return model!.Routes["r"].VirtualHosts.Single().Routes.Single();
    }
}

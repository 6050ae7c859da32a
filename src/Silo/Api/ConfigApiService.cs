using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Kinds;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Config;
using Mesh.Silo.Audit;
using Mesh.Silo.Hosting;
using Mesh.Silo.Watch;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Silo.Api;

/// <summary>The management API (<c>mesh.v1.ConfigService</c>), over gRPC on 15020 and HTTP/JSON on 15080.</summary>
public sealed partial class ConfigApiService(
    IGrainFactory grains,
    ConfigCatalog catalog,
    ConfigWatchFactory watches,
    ILocalSiloDetails silo,
    IHostApplicationLifetime lifetime,
    Mesh.Xds.Cache.IXdsCache xds,
    AuditTrail audit,
    TimeProvider time,
    IOptions<MeshOptions> options) : ConfigService.ConfigServiceBase
{
    public override async Task<ConfigResource> Get(GetRequest request, ServerCallContext context)
    {
        var (kind, ns, name) = Target(request.Kind, request.Namespace, request.Name);
        var config = await grains.Config(kind.Kind, ns, name).Get()
            ?? throw ApiErrors.NotFound(NotFoundMessage(kind, ns, name));
        return ResourceMapper.ToApi(config);
    }

    public override async Task<HistoryResponse> History(HistoryRequest request, ServerCallContext context)
    {
        var (kind, ns, name) = Target(request.Kind, request.Namespace, request.Name);
        var versions = await grains.Config(kind.Kind, ns, name).History();
        if (versions.Count == 0) throw ApiErrors.NotFound(NotFoundMessage(kind, ns, name));
        var response = new HistoryResponse();
        response.Versions.Add(versions.Select(ResourceMapper.ToApi));
        return response;
    }

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse
        {
            Version = typeof(ConfigApiService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            Silo = silo.SiloAddress.ToString(),
            Store = options.Value.UsesRedis ? "redis" : "sqlite",
        });

    private static (ResourceKind Kind, string Namespace, string Name) Target(string kind, string @namespace, string name)
    {
        var resolved = ResolveKind(kind);
        // A cluster-scoped kind (GatewayClass) lives in one namespace whatever -n says, as kubectl ignores it.
        var ns = resolved.StoredNamespace(RequireNamespace(string.IsNullOrEmpty(@namespace) ? "default" : @namespace));
        if (string.IsNullOrEmpty(name)) throw ApiErrors.Invalid($"a {resolved.Kind} name is required");
        if (!ResourceNames.IsDns1123Label(name)) throw ApiErrors.Invalid($"name \"{Truncate(name)}\" is not a valid resource name (a DNS-1123 label)");
        return (resolved, ns, name);
    }

    internal static ResourceKind ResolveKind(string kind)
    {
        if (string.IsNullOrWhiteSpace(kind)) throw ApiErrors.Invalid("a kind is required, for example virtualservice or vs");
        return ResourceKinds.Resolve(kind) ?? throw ApiErrors.Invalid(
            $"unknown kind \"{Truncate(kind)}\"; Mesh serves {string.Join(", ", ResourceKinds.All.Select(k => k.Kind))}");
    }

    internal static string RequireNamespace(string @namespace) =>
        ResourceNames.IsDns1123Label(@namespace) ? @namespace
        : throw ApiErrors.Invalid($"namespace \"{Truncate(@namespace)}\" is not a valid namespace name (a DNS-1123 label)");

    internal static long? ParseResourceVersion(string value, string field) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
        : throw ApiErrors.Invalid($"{field} \"{Truncate(value)}\" is not a resourceVersion (a positive integer)");


    private static string NotFoundMessage(ResourceKind kind, string ns, string name) =>
        $"{kind.Plural}.{kind.Group} \"{name}\" not found in namespace \"{ns}\"";

    internal static string ConflictMessage(ResourceKind kind, string ns, string name, long expected, long current) =>
        $"{kind.Kind} {ns}/{name}: resourceVersion {expected} is stale, the stored one is {current}; get the resource again and reapply your change";

    internal static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}

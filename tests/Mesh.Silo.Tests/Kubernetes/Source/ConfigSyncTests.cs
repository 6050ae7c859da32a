using System.Reflection;
using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Silo.Api;
using Mesh.Silo.Kubernetes.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Silo.Tests.Kubernetes.Source;

public sealed class ConfigSyncTests
{
    private const string Key = "VirtualService/shop/reviews";
    private readonly Dictionary<string, ConfigGrainDouble> _stored = [];
    private readonly IGrainFactory _grains;
    private readonly ConfigSync _sync;

    public ConfigSyncTests()
    {
        _grains = GrainFactoryDouble.Create(key => _stored.TryGetValue(key, out var grain) ? grain : _stored[key] = new ConfigGrainDouble(key));
        _sync = Leader();
    }

    [Fact]
    public async Task AChangeAfterTheStatusWriterMovedTheVersion_IsWrittenInTheSameSync()
    {
        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: false, CancellationToken.None));
        await _stored[Key].SetStatus("""{"conditions":[]}""");

        // The status writer's version is newer than the one the source wrote: the source's change still goes in now,
        // not a second later on a retry.
        Assert.Equal(0, await _sync.Apply(Desired("v2"), readStored: false, CancellationToken.None));
        Assert.Contains("v2", (await _stored[Key].Get())!.SpecJson);
    }

    [Fact]
    public async Task ADeleteAfterTheStatusWriterMovedTheVersion_IsDoneInTheSameSync()
    {
        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: false, CancellationToken.None));
        await _stored[Key].SetStatus("""{"conditions":[]}""");

        Assert.Equal(0, await _sync.Apply(new Dictionary<string, Resource>(), readStored: false, CancellationToken.None));
        Assert.Null(await _stored[Key].Get());
    }

    [Fact]
    public async Task ALateWriteOfAFormerLeader_DoesNotOverwriteItsSuccessors()
    {
        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: false, CancellationToken.None));
        var successor = Leader();
        // (This double lists nothing stored, so a new leader learns the key from its first write's conflict.)
        Assert.Equal(1, await successor.Apply(Desired("v2"), readStored: false, CancellationToken.None));
        Assert.Equal(0, await successor.Apply(Desired("v2"), readStored: false, CancellationToken.None));

        // The former leader's write and delete were still in flight: both are refused, the successor's stays.
        Assert.Equal(1, await _sync.Apply(Desired("v3"), readStored: false, CancellationToken.None));
        Assert.Contains("v2", (await _stored[Key].Get())!.SpecJson);
        var other = Leader();
        Assert.Equal(1, await other.Apply(Desired("v4"), readStored: false, CancellationToken.None));
        Assert.Equal(0, await other.Apply(Desired("v4"), readStored: false, CancellationToken.None));
        Assert.Equal(1, await successor.Apply(new Dictionary<string, Resource>(), readStored: false, CancellationToken.None));
        Assert.Contains("v4", (await _stored[Key].Get())!.SpecJson);
    }

    [Fact]
    public async Task AKeptKey_IsNeitherChangedNorDeleted()
    {
        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: false, CancellationToken.None));
        var stored = await _stored[Key].Get();

        // Its new generation was refused: absent from the desired set, but the last accepted one stays stored.
        Assert.Equal(0, await _sync.Apply(new Dictionary<string, Resource>(), readStored: false, CancellationToken.None, kept: new HashSet<string> { Key }));
        Assert.Equal(stored?.ResourceVersion, (await _stored[Key].Get())?.ResourceVersion);
    }

    [Fact]
    public async Task AResourceSomeoneElseWroteMeanwhile_IsLeftAloneAndReportedAsAConflict()
    {
        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: false, CancellationToken.None));
        // Between two syncs, deleted by the source (an earlier leader's last write) and applied through the API
        // (no source annotation): this leader still counts it as its own.
        await _stored[Key].Delete(null, dryRun: false, fromKubernetesSource: true);
        await _stored[Key].Apply(new ConfigWrite { ApiVersion = "networking.istio.io/v1", SpecJson = """{"hosts":["mine"]}""" });

        Assert.Equal(0, await _sync.Apply(Desired("v2"), readStored: false, CancellationToken.None));
        Assert.Contains("mine", (await _stored[Key].Get())!.SpecJson);
        Assert.Contains(Key, _sync.Conflicts);

        // No longer desired: the source deletes only its own, so the API's resource stays.
        Assert.Equal(0, await _sync.Apply(new Dictionary<string, Resource>(), readStored: false, CancellationToken.None));
        Assert.Contains("mine", (await _stored[Key].Get())!.SpecJson);
        Assert.Empty(_sync.Conflicts);
    }

    /// <summary>A leader of the source, as each silo that takes the lease makes one.</summary>
    private ConfigSync Leader() => new(_grains, new ConfigCatalog(_grains), NullLogger.Instance);

    [Fact]
    public async Task AResourceTheApiStoredFirst_IsNeverOverwritten()
    {
        await (_stored[Key] = new ConfigGrainDouble(Key)).Apply(new ConfigWrite { ApiVersion = "networking.istio.io/v1", SpecJson = """{"hosts":["mine"]}""" });

        Assert.Equal(0, await _sync.Apply(Desired("v1"), readStored: true, CancellationToken.None));
        Assert.Contains("mine", (await _stored[Key].Get())!.SpecJson);
        Assert.Equal([Key], _sync.Conflicts);
    }

    private static Dictionary<string, Resource> Desired(string subset) => new()
    {
        [Key] = new Resource(ResourceKinds.VirtualService, "networking.istio.io/v1",
            new ResourceMetadata
            {
                Name = "reviews", Namespace = "shop",
                Annotations = new Dictionary<string, string> { [SourceAnnotation.Key] = SourceAnnotation.Kubernetes },
            },
            new JsonObject { ["hosts"] = new JsonArray("reviews"), ["subset"] = subset }),
    };

    /// <summary>A config grain in memory, with the real one's versioning and ownership: every write and status moves
    /// the version, a write that expects another version is a conflict, and the source and everyone else may not write
    /// each other's resources.</summary>
    private sealed class ConfigGrainDouble(string key) : IConfigGrain
    {
        private StoredConfig? _current;
        private long _version;

        public Task<WriteResult> Apply(ConfigWrite write)
        {
            if (Refused(write.FromKubernetesSource) is { } refused) return Task.FromResult(refused);
            if (write.ExpectedResourceVersion is { } expected && expected != (_current?.ResourceVersion ?? 0))
                return Task.FromResult(new WriteResult(WriteOutcome.Conflict, _current, _current?.ResourceVersion ?? 0));
            var parts = key.Split('/');
            _current = new StoredConfig
            {
                Kind = parts[0], Namespace = parts[1], Name = parts[2], Uid = "u", ApiVersion = write.ApiVersion,
                Labels = write.Labels, Annotations = write.Annotations, SpecJson = write.SpecJson, ResourceVersion = ++_version,
            };
            return Task.FromResult(new WriteResult(WriteOutcome.Configured, _current, _version));
        }

        public Task<StoredConfig?> Get() => Task.FromResult(_current);

        private WriteResult? Refused(bool fromKubernetesSource) => _current is null || _current.FromKubernetes == fromKubernetesSource ? null
            : new WriteResult(fromKubernetesSource ? WriteOutcome.NotFromKubernetes : WriteOutcome.OwnedByKubernetes, _current, _current.ResourceVersion);

        public Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun) => Delete(expectedResourceVersion, dryRun, fromKubernetesSource: false);

        public Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun, bool fromKubernetesSource)
        {
            if (Refused(fromKubernetesSource) is { } refused) return Task.FromResult(refused);
            if (expectedResourceVersion is { } expected && expected != (_current?.ResourceVersion ?? 0))
                return Task.FromResult(new WriteResult(WriteOutcome.Conflict, _current, _current?.ResourceVersion ?? 0));
            _current = null;
            return Task.FromResult(new WriteResult(WriteOutcome.Deleted, null, ++_version));
        }

        public Task SetStatus(string? statusJson)
        {
            if (_current is not null) _current = _current with { StatusJson = statusJson, ResourceVersion = ++_version };
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<StoredConfig>> History() => throw new NotSupportedException();

        public Task<bool> Reconcile() => throw new NotSupportedException();
    }

    /// <summary>The grain factory ConfigSync and ConfigCatalog call: config grains by key, and namespace directories
    /// that know no namespace (so nothing is stored before the test writes).</summary>
    public class GrainFactoryDouble : DispatchProxy
    {
        private Func<string, IConfigGrain> _config = null!;

        public static IGrainFactory Create(Func<string, IConfigGrain> config)
        {
            var factory = Create<IGrainFactory, GrainFactoryDouble>();
            ((GrainFactoryDouble)(object)factory)._config = config;
            return factory;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var type = method!.ReturnType;
            if (type == typeof(IConfigGrain)) return _config((string)args![0]!);
            if (type == typeof(INamespaceDirectoryGrain)) return EmptyDirectory.Create();
            throw new NotSupportedException($"{method.Name} -> {type.Name}");
        }
    }

    public class EmptyDirectory : DispatchProxy
    {
        public static INamespaceDirectoryGrain Create() => Create<INamespaceDirectoryGrain, EmptyDirectory>();

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name == nameof(INamespaceDirectoryGrain.Namespaces)
            ? Task.FromResult<IReadOnlyList<string>>([])
            : throw new NotSupportedException(method.Name);
    }
}

using System.Reflection;
using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Directories;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Mesh.Xds.Cache;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Tests.Cache;

/// <summary>A silo's copy of a directory grain (through the thin <see cref="ApiPolicySource"/>): subscribed before it
/// is read, read once, replaced whole by what the grain tells, and read again after a read that failed.</summary>
public sealed class DirectorySourceTests
{
    private static readonly ConfigSpec Limits = new("ApiPolicy/shop/limits", "shop", "{}");
    private static readonly ConfigSpec Keys = new("ApiPolicy/shop/keys", "shop", "{}");

    [Fact]
    public async Task All_subscribes_then_reads_once_and_serves_later_calls_from_memory()
    {
        var (source, directory) = Source([Limits]);
        await using var disposed = source;

        Assert.Equal([Limits], await source.All());
        Assert.Equal([Limits], await source.All());

        Assert.Equal(["Subscribe", "GetAll"], directory.Calls);
        Assert.Equal(IApiPolicyDirectoryGrain.Key, directory.Key);
    }

    [Fact]
    public async Task A_change_the_grain_tells_replaces_every_entry_and_raises_Changed()
    {
        var (source, _) = Source([Limits]);
        await using var disposed = source;
        await source.All();
        var raised = 0;
        source.Changed += () => raised++;

        await source.OnDirectoryChanged([Keys]);

        Assert.Equal(1, raised);
        Assert.Equal([Keys], await source.All());
    }

    [Fact]
    public async Task A_read_that_failed_is_not_kept_and_the_next_call_reads_again()
    {
        var (source, directory) = Source([Limits]);
        await using var disposed = source;
        directory.FailNextRead = true;

        await Assert.ThrowsAsync<IOException>(source.All);

        Assert.Equal([Limits], await source.All());
        Assert.Equal(2, directory.Calls.Count(c => c == "GetAll"));
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_change()
    {
        var (source, _) = Source([Limits]);
        await using var disposed = source;
        source.Changed += () => throw new InvalidOperationException("handler");

        await source.OnDirectoryChanged([Keys]);

        Assert.Equal([Keys], await source.All());
    }

    private static (ApiPolicySource Source, FakeDirectory Directory) Source(List<ConfigSpec> entries)
    {
        var directory = DispatchProxy.Create<IApiPolicyDirectoryGrain, FakeDirectory>();
        var fake = (FakeDirectory)(object)directory;
        fake.Entries = entries;
        var grains = DispatchProxy.Create<IGrainFactory, DirectoryGrains>();
        ((DirectoryGrains)(object)grains).Directory = fake;
        var registry = new SubscriptionRegistry(grains, NullLoggerFactory.Instance);
        var options = Options.Create(new XdsOptions { SubscriptionExpiry = TimeSpan.FromHours(3) });
        return (new ApiPolicySource(grains, registry, options, NullLogger<ApiPolicySource>.Instance), fake);
    }

    /// <summary>A grain factory that makes only the fake directory, and hands an observer back as its own reference.</summary>
    public class DirectoryGrains : DispatchProxy
    {
        public FakeDirectory Directory { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            switch (method?.Name)
            {
                case nameof(IGrainFactory.GetGrain) when method.ReturnType == typeof(IApiPolicyDirectoryGrain):
                    Directory.Key = (string)args![0]!;
                    return Directory;
                case nameof(IGrainFactory.CreateObjectReference):
                    return args![0];
                case nameof(IGrainFactory.DeleteObjectReference):
                    return null;
                default:
                    throw new NotSupportedException($"the source asked the grain factory for {method}");
            }
        }
    }

    /// <summary>A directory grain that records its calls in order.</summary>
    public class FakeDirectory : DispatchProxy
    {
        private readonly Guid _epoch = Guid.NewGuid();

        public List<ConfigSpec> Entries { get; set; } = [];
        public string? Key { get; set; }
        public bool FailNextRead { get; set; }
        public List<string> Calls { get; } = [];

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            lock (Calls) Calls.Add(method!.Name);
            switch (method.Name)
            {
                case nameof(IDirectoryGrain<ConfigSpec>.Subscribe):
                    return Task.FromResult(new Subscription(_epoch, TimeSpan.FromHours(3)));
                case nameof(IDirectoryGrain<ConfigSpec>.GetAll) when FailNextRead:
                    FailNextRead = false;
                    return Task.FromException<List<ConfigSpec>>(new IOException("the directory is unreachable"));
                case nameof(IDirectoryGrain<ConfigSpec>.GetAll):
                    return Task.FromResult(Entries.ToList());
                default:
                    return Task.CompletedTask;
            }
        }
    }
}

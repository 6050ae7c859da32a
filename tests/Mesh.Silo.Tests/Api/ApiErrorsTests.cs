using Grpc.Core;
using Mesh.Config.Kinds;
using Mesh.Silo.Api;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Mesh.Silo.Tests.Api;

public sealed class ApiErrorsTests
{
    private static readonly ResourceKind VirtualService = ResourceKinds.Resolve("vs")!;

    [Fact]
    public void WriteUnsettled_MayHaveLanded_SaysSoAndNamesTheCommandThatTells()
    {
        var error = ApiErrors.WriteUnsettled(VirtualService, "shop", "reviews", delete: false,
            new WriteUnsettledException(new SiloUnavailableException("gone"), mayHaveLanded: true, attempts: 9));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("VirtualService shop/reviews may or may not be stored", error.Status.Detail);
        Assert.Contains("stopped answering", error.Status.Detail);
        Assert.Contains("`meshctl get virtualservice reviews -n shop -o yaml`", error.Status.Detail);
        Assert.Contains("resourceVersion", error.Status.Detail);
        Assert.DoesNotContain('\n', error.Status.Detail);
    }

    [Fact]
    public void WriteUnsettled_ADelete_SaysHowNotFoundReads()
    {
        var error = ApiErrors.WriteUnsettled(VirtualService, "shop", "reviews", delete: true,
            new WriteUnsettledException(new TimeoutException(), mayHaveLanded: true, attempts: 3));

        Assert.Contains("may or may not be deleted", error.Status.Detail);
        Assert.Contains("\"not found\" means it was deleted", error.Status.Detail);
    }

    [Fact]
    public void WriteUnsettled_NothingLanded_SaysNothingChanged()
    {
        var error = ApiErrors.WriteUnsettled(VirtualService, "shop", "reviews", delete: false,
            new WriteUnsettledException(new ConnectionFailedException("refused"), mayHaveLanded: false, attempts: 12));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("VirtualService shop/reviews was not stored", error.Status.Detail);
        Assert.Contains("nothing changed", error.Status.Detail);
        Assert.DoesNotContain("may or may not", error.Status.Detail);
    }

    [Fact]
    public void Unexpected_ABug_IsInternalWithTheTypeAndTraceId()
    {
        var error = ApiErrors.Unexpected("mesh.v1.ConfigService/Get", new NullReferenceException("Object reference not set\nto an instance"), "4bf92f3577b34da6a3ce929d0e0e4736");

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("mesh.v1.ConfigService/Get failed on the server (NullReferenceException: Object reference not set to an instance)", error.Status.Detail);
        Assert.Contains("trace id 4bf92f3577b34da6a3ce929d0e0e4736", error.Status.Detail);
    }

    [Fact]
    public void Unexpected_AClusterFault_IsUnavailableSayingWhy()
    {
        var error = ApiErrors.Unexpected("mesh.v1.ConfigService/List", new SiloUnavailableException("gone"), "");

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("stopped answering", error.Status.Detail);
        Assert.Contains("no trace id", error.Status.Detail);
    }
}

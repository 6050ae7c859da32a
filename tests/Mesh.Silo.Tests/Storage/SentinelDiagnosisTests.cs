using Mesh.Silo.Storage;
using StackExchange.Redis;

namespace Mesh.Silo.Tests.Storage;

public sealed class SentinelDiagnosisTests
{
    [Fact]
    public async Task NoSentinelAnswers_SaysSoAndNamesThem()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePorts.Next()},127.0.0.1:{FreePorts.Next()},serviceName=mesh");

        var explained = await SentinelDiagnosis.Explain(options, "mesh");

        Assert.StartsWith("none of the Redis sentinels in --redis answered: 127.0.0.1:", explained);
    }

    [Fact]
    public async Task ServiceUnknown_NamesTheServicesTheSentinelsMonitor()
    {
        using var sentinel = await LocalRedis.Sentinel("orders", "payments");
        var options = ConfigurationOptions.Parse($"{sentinel.Address},127.0.0.1:{FreePorts.Next()},serviceName=mesh");

        var explained = await SentinelDiagnosis.Explain(options, "mesh");

        Assert.Equal("the Redis sentinels know no service 'mesh' (serviceName= in --redis); they monitor: 'orders', 'payments'", explained);
    }

    [Fact]
    public async Task ConnectingToAnUnknownService_FailsWithTheExplanation()
    {
        using var sentinel = await LocalRedis.Sentinel("orders");
        var store = new RedisStore($"{sentinel.Address},serviceName=mesh,connectTimeout=2000");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(store.Connect);

        Assert.Contains("know no service 'mesh'", error.Message);
    }
}

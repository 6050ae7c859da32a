using System.Diagnostics;
using Mesh.Silo.Api;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Mesh.Silo.Tests.Api;

public sealed class WriteRetryTests
{
    private static WriteRetry Retry(double seconds = 2) => new(TimeProvider.System, TimeSpan.FromSeconds(seconds));

    private static Func<Task<string>> Failing(params Exception[] failures)
    {
        var calls = 0;
        return () => calls < failures.Length ? Task.FromException<string>(failures[calls++]) : Task.FromResult($"stored after {calls}");
    }

    [Fact]
    public async Task ClusterFaultThenSuccess_Answers_AndRemembersTheFirstMayHaveLanded()
    {
        var retry = Retry();

        var answer = await retry.Run(Failing(new SiloUnavailableException("gone")), CancellationToken.None);

        Assert.Equal("stored after 1", answer);
        Assert.Equal(2, retry.Attempts);
        Assert.True(retry.MayHaveLanded);
    }

    [Fact]
    public async Task NotDeliveredThenSuccess_NothingMayHaveLanded()
    {
        var retry = Retry();

        await retry.Run(Failing(new ConnectionFailedException("refused"), new ConnectionFailedException("refused")), CancellationToken.None);

        Assert.Equal(3, retry.Attempts);
        Assert.False(retry.MayHaveLanded);
    }

    [Fact]
    public async Task NotAClusterFault_ThrownAtOnce()
    {
        var retry = Retry();

        await Assert.ThrowsAsync<InvalidOperationException>(() => retry.Run(Failing(new InvalidOperationException("a bug")), CancellationToken.None));

        Assert.Equal(1, retry.Attempts);
    }

    [Fact]
    public async Task FaultsOutlastTheBudget_Unsettled_SayingWhetherItMayHaveLanded()
    {
        var retry = Retry(seconds: 1);
        var clock = Stopwatch.StartNew();

        var unsettled = await Assert.ThrowsAsync<WriteUnsettledException>(() =>
            retry.Run(() => Task.FromException<string>(new TimeoutException("no response")), CancellationToken.None));

        Assert.True(unsettled.MayHaveLanded);
        Assert.True(unsettled.Attempts > 2, $"{unsettled.Attempts} attempts");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(3));
        Assert.IsType<TimeoutException>(unsettled.InnerException);
    }

    [Fact]
    public async Task OnlyUndeliveredAttempts_UnsettledButNothingLanded()
    {
        var unsettled = await Assert.ThrowsAsync<WriteUnsettledException>(() =>
            Retry(seconds: 0.5).Run(() => Task.FromException<string>(new ConnectionFailedException("refused")), CancellationToken.None));

        Assert.False(unsettled.MayHaveLanded);
    }

    [Fact]
    public async Task CallThatNeverAnswers_UnsettledWhenTheBudgetEnds()
    {
        var clock = Stopwatch.StartNew();

        var unsettled = await Assert.ThrowsAsync<WriteUnsettledException>(() =>
            Retry(seconds: 0.5).Run(() => new TaskCompletionSource<string>().Task, CancellationToken.None));

        Assert.True(unsettled.MayHaveLanded);
        Assert.Equal(1, unsettled.Attempts);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task CallsOfOneWrite_ShareTheBudgetAndWhatMayHaveLanded()
    {
        var retry = Retry();
        await retry.Run(Failing(new SiloUnavailableException("gone")), CancellationToken.None);
        var first = retry.StartedAt;

        await retry.Run(() => Task.FromResult("history"), CancellationToken.None);

        Assert.Equal(first, retry.StartedAt);
        Assert.True(retry.MayHaveLanded);
        Assert.Equal(3, retry.Attempts);
    }

    [Fact]
    public void For_ADeadlineNearerThanTheBudget_Shortens()
    {
        var soon = WriteRetry.For(TimeProvider.System, DateTime.UtcNow.AddSeconds(2));
        var none = WriteRetry.For(TimeProvider.System, DateTime.MaxValue);

        Assert.InRange(soon.Budget, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(WriteRetry.DefaultBudget, none.Budget);
    }
}

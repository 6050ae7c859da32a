namespace Mesh.Silo.Api;

/// <summary>Runs one write's grain calls again after a cluster fault (<see cref="ClusterFault"/>), with backoff, until
/// it settles or its budget runs out. Safe only for calls whose repetition the caller can read (see
/// <see cref="WriteSettlement"/>): trying again never stores twice. One write, one instance: not thread-safe.</summary>
public sealed class WriteRetry
{
    /// <summary>Long enough to outlast a killed silo's death declaration (a few seconds, see MeshOptions.Membership),
    /// short enough for a person at a terminal.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(15);

    /// <summary>Left of a call's deadline for the answer to travel back.</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private long _started;

    public WriteRetry(TimeProvider time, TimeSpan budget)
    {
        _time = time;
        Budget = budget;
    }

    /// <summary>The budget for a call: <see cref="DefaultBudget"/>, or less when the caller's deadline is nearer.</summary>
    public static WriteRetry For(TimeProvider time, DateTime deadline)
    {
        var untilDeadline = deadline == DateTime.MaxValue ? TimeSpan.MaxValue : deadline.ToUniversalTime() - time.GetUtcNow().UtcDateTime - AnswerMargin;
        return new WriteRetry(time, untilDeadline < DefaultBudget ? (untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero) : DefaultBudget);
    }

    /// <summary>An attempt failed in a way that may have stored the write: what a later attempt meets may be the
    /// first one's work.</summary>
    public bool MayHaveLanded { get; private set; }

    public int Attempts { get; private set; }

    public TimeSpan Budget { get; }

    /// <summary>When the first attempt started (the grain's clock, for <see cref="WriteSettlement"/>, may differ a little).</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Runs <paramref name="attempt"/> (the calls of one write share the budget) until it returns, fails for a reason that is not a cluster fault (thrown
    /// as is), or the budget runs out (<see cref="WriteUnsettledException"/>).</summary>
    public async Task<T> Run<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (Attempts == 0)
        {
            StartedAt = _time.GetUtcNow();
            _started = _time.GetTimestamp();
        }
        var started = _started;
        var delay = FirstDelay;
        while (true)
        {
            Attempts++;
            var call = attempt();
            var left = Budget - _time.GetElapsedTime(started);
            try
            {
                return left > TimeSpan.Zero ? await call.WaitAsync(left, _time, cancellationToken) : await call.WaitAsync(cancellationToken);
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                // Still waiting for an answer when the budget ran out: it may yet land.
                Observe(call);
                throw new WriteUnsettledException(new TimeoutException($"no answer within {Budget.TotalSeconds:0.#} s"), mayHaveLanded: true, Attempts);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && ClusterFault.Classify(exception) is var kind && kind != ClusterFaultKind.None)
            {
                MayHaveLanded |= kind == ClusterFaultKind.OutcomeUnknown;
                left = Budget - _time.GetElapsedTime(started);
                if (left <= delay) throw new WriteUnsettledException(exception, MayHaveLanded, Attempts);
                await Task.Delay(Jittered(delay), _time, cancellationToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }

    /// <summary>Spreads the writers that one silo's death failed at once, so that they do not come back together.</summary>
    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.75 + Random.Shared.NextDouble() / 2);

    /// <summary>An abandoned call's eventual failure is nobody's to report.</summary>
    private static void Observe(Task call) => call.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
}

/// <summary>A write's grain calls kept failing for cluster faults until its retry budget ran out.</summary>
public sealed class WriteUnsettledException(Exception cause, bool mayHaveLanded, int attempts)
    : Exception($"the write did not settle after {attempts} attempt(s): {cause.Message}", cause)
{
    /// <summary>Some attempt may have stored it; when false, none did.</summary>
    public bool MayHaveLanded { get; } = mayHaveLanded;

    public int Attempts { get; } = attempts;
}

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>Every wait in these tests is bounded, so a broken server fails a test instead of hanging it.</summary>
public static class Timeouts
{
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan limit, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        return finished == task ? await task : throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:0} s");
    }

    public static async Task Within(this Task task, TimeSpan limit, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task) throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:0} s");
        await task;
    }

    /// <summary>Polls until the condition holds, every <paramref name="poll"/> (200 ms unless said; a latency measured
    /// by polling needs less).</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            // The check after the deadline counts too: a slow machine's last sleep must not skip it.
            var last = DateTime.UtcNow >= deadline;
            try
            {
                if (await condition()) return;
            }
            catch (Exception) when (!last)
            {
                // Not yet: the server may still be starting.
            }
            if (last) break;
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
        throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s");
    }

    /// <summary>Polls until a GET of <paramref name="url"/> answers 2xx.</summary>
    public static Task UntilOk(this HttpClient http, string url, TimeSpan limit, string what)
        => Until(async () =>
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }, limit, what);
}

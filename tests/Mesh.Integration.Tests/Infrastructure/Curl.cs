using System.Diagnostics;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>curl, for requests .NET's HttpClient will not send as written (<c>--path-as-is</c> keeps dot segments and
/// backslashes; <c>--http2-prior-knowledge</c> speaks h2c without an upgrade).</summary>
public static class Curl
{
    public sealed record Reply(int Status, string Body)
    {
        /// <summary>The response headers curl printed with <c>-D -</c> before the body (lower-case names; the last
        /// response's value when curl followed several).</summary>
        public Dictionary<string, string> Headers() => Body.Split('\n')
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && !p[0].Contains(' '))
            .GroupBy(p => p[0].Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last()[1].Trim());
    }

    public static async Task<Reply> Get(string url, params string[] options)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The status goes last, on a line of its own, after the body.
        foreach (var argument in (string[])["-s", "--max-time", "20", "-w", "\n%{http_code}", .. options, url]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().Within(TimeSpan.FromSeconds(30), $"curl {url}");
        await process.WaitForExitAsync();
        var newline = output.LastIndexOf('\n');
        return new Reply(int.Parse(output[(newline + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..Math.Max(newline, 0)]);
    }
}

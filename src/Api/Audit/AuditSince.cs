using System.Globalization;
using Mesh.Config.Text;

namespace Mesh.Api.Audit;

/// <summary>Where an audit listing starts: a Go duration back from now (<c>90m</c>, <c>24h</c>) or an RFC 3339 time.
/// Shared by the server, which decides, and meshctl, which refuses a bad value before calling.</summary>
public static class AuditSince
{
    /// <summary>How far back a listing looks when it names no start.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            since = now - Default;
            return true;
        }
        text = text.Trim();
        if (GoDuration.TryParse(text, out var back, out var durationError))
        {
            since = now - back;
            if (back >= TimeSpan.Zero) return true;
            error = $"since \"{text}\" is negative; give how far back to look, like 1h";
            return false;
        }
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            return true;
        }
        since = default;
        error = $"since: {durationError}, or a time like 2025-01-02T15:04:05Z";
        return false;
    }
}

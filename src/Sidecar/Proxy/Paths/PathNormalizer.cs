using System.Text;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Sidecar.Proxy.Paths;

/// <summary>What became of a request path: forward it (as <see cref="Path"/>), refuse it with 400, or redirect the
/// client to <see cref="Path"/> (Envoy's UNESCAPE_AND_REDIRECT).</summary>
public readonly record struct NormalizedPath(string Path, PathVerdict Verdict);

public enum PathVerdict { Forward, Reject, Redirect }

/// <summary>Envoy's path normalization, on the path as it travels (percent-encoded, without the query): first the
/// escaped-slash action (<c>%2F</c>, <c>%5C</c>), then <c>normalize_path</c> (RFC 3986: percent-decoding of unreserved
/// characters only, backslash to slash, dot segments removed, characters a path may not hold percent-encoded), then
/// <c>merge_slashes</c>. Escapes it does not decode keep their spelling, so <c>%2F</c> reaches the application as sent.</summary>
public static class PathNormalizer
{
    public static NormalizedPath Normalize(string path, PathNormalization settings)
    {
        var redirect = false;
        if (settings.EscapedSlashes != EscapedSlashes.KeepUnchanged && HasEscapedSlash(path))
        {
            if (settings.EscapedSlashes == EscapedSlashes.RejectRequest) return new NormalizedPath(path, PathVerdict.Reject);
            path = UnescapeSlashes(path);
            redirect = settings.EscapedSlashes == EscapedSlashes.UnescapeAndRedirect;
        }
        if (settings.Normalize)
        {
            if (Canonical(path) is not { } canonical) return new NormalizedPath(path, PathVerdict.Reject);
            path = canonical;
        }
        if (settings.MergeSlashes) path = MergeSlashes(path);
        return new NormalizedPath(path, redirect ? PathVerdict.Redirect : PathVerdict.Forward);
    }

    /// <summary>RFC 3986 normalization as Envoy's <c>normalize_path</c> does it; null for a path it refuses (one that
    /// does not start with a slash, or holds an encoded NUL).</summary>
    private static string? Canonical(string path)
    {
        if (path.Length == 0 || (path[0] != '/' && path[0] != '\\')) return null;
        var text = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && Hex(path[i + 1]) is { } high && Hex(path[i + 2]) is { } low)
            {
                var decoded = (char)(high * 16 + low);
                if (decoded == '\0') return null;
                // Only unreserved characters are decoded; any other escape keeps its spelling (case included).
                if (IsUnreserved(decoded)) text.Append(decoded);
                else text.Append(path, i, 3);
                i += 2;
            }
            else if (c == '\\') text.Append('/');
            else if (c == '\0') return null;
            else if (MustEscape(c)) Escape(text, c, path, ref i);
            else text.Append(c);
        }
        return RemoveDotSegments(text.ToString());
    }

    /// <summary>RFC 3986 section 5.2.4 on an absolute path: <c>.</c> segments go, <c>..</c> takes the one before it
    /// (never above the root), and a path that ended in one keeps its trailing slash.</summary>
    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains("/.", StringComparison.Ordinal)) return path;
        var segments = path[1..].Split('/');
        var kept = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    if (last) kept.Add("");
                    break;
                case "..":
                    if (kept.Count > 0) kept.RemoveAt(kept.Count - 1);
                    if (last) kept.Add("");
                    break;
                default:
                    kept.Add(segments[i]);
                    break;
            }
        }
        return "/" + string.Join('/', kept);
    }

    private static string MergeSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal)) return path;
        var text = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c == '/' && text.Length > 0 && text[^1] == '/') continue;
            text.Append(c);
        }
        return text.ToString();
    }

    private static bool HasEscapedSlash(string path)
        => path.Contains("%2F", StringComparison.OrdinalIgnoreCase) || path.Contains("%5C", StringComparison.OrdinalIgnoreCase);

    private static string UnescapeSlashes(string path) => path
        .Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
        .Replace("%5C", "\\", StringComparison.OrdinalIgnoreCase);

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>Characters a path may not carry unescaped (controls, space, <c>" &lt; &gt; ` { }</c>, DEL, non-ASCII).</summary>
    private static bool MustEscape(char c) => c <= ' ' || c >= '\x7f' || c is '"' or '<' or '>' or '`' or '{' or '}';

    private static void Escape(StringBuilder text, char c, string path, ref int i)
    {
        Span<byte> bytes = stackalloc byte[4];
        var length = char.IsHighSurrogate(c) && i + 1 < path.Length
            ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), bytes)
            : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), bytes);
        foreach (var b in bytes[..length]) text.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int? Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };
}

namespace Mesh.Config.Validation.Rules;

/// <summary>HTTP syntax: header names and values, cookies, methods, status codes, URLs, Envoy retry conditions.
/// Every name or value that config puts into a request or a response passes one of these rules, so that nothing
/// written in a resource can split a header, add one, or break the message.</summary>
public static class Http
{
    /// <summary>The methods Istio's CORS validation knows (Go's net/http list).</summary>
    private static readonly HashSet<string> Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"];

    /// <summary>An HTTP header name: an RFC 9110 token (letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>), as Istio's
    /// ValidateHTTPHeaderName. No spaces, colons or control characters; case is free.</summary>
    public static string? HeaderName(string name)
    {
        if (name.Length == 0) return "header name must not be empty";
        if (name.Length > MaxHeaderLength) return $"header name is {name.Length} characters long; at most {MaxHeaderLength} (Envoy's limit)";
        return IsToken(name)
            ? null
            : $"\"{Names.Short(name)}\" is not a valid HTTP header name (a token: letters, digits and !#$%&'*+-.^_`|~; no spaces, colons or control characters)";
    }

    /// <summary>A header a request route may set or add: a valid name that is not an HTTP/2 pseudo-header.</summary>
    public static string? WritableHeaderName(string name)
    {
        if (name.StartsWith(':')) return $"pseudo-header \"{Names.Short(name)}\" cannot be changed";
        return HeaderName(name);
    }

    /// <summary>A header removed from a request, or set, added or removed on a response: Istio's
    /// ValidateHTTPHeaderOperationName also refuses Host there.</summary>
    public static string? OperationHeaderName(string name)
        => string.Equals(name, "host", StringComparison.OrdinalIgnoreCase) ? "the Host header cannot be removed, or changed on a response" : WritableHeaderName(name);

    /// <summary>Istio's strict header names (ValidateStrictHTTPHeaderName, ValidateProbeHeaderName): letters, digits
    /// and '-' only, for headers that carry JWT claims and probe headers.</summary>
    public static string? StrictHeaderName(string name)
    {
        if (name.Length == 0) return "header name must not be empty";
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? null
            : $"\"{Names.Short(name)}\" is not a valid header name here (letters, digits and '-' only)";
    }

    /// <summary>A header value sent as written, not through Envoy (a probe's headers): no control character but tab.</summary>
    public static string? PlainHeaderValue(string value) => Controls(value, "header value");

    /// <summary>Header match names: Istio requires them lower case.</summary>
    public static string? MatchHeaderName(string name)
    {
        if (HeaderName(name.StartsWith(':') ? name[1..] : name) is { } reason) return reason;
        return name == name.ToLowerInvariant() ? null : $"header name \"{Names.Short(name)}\" must be lower case";
    }

    /// <summary>A header name in a CORS list, or <c>*</c> (Istio's ValidateCORSHTTPHeaderName).</summary>
    public static string? CorsHeaderName(string name) => name == "*" ? null : HeaderName(name);

    /// <summary>A CORS method: one Istio knows, or <c>*</c>.</summary>
    public static string? CorsMethod(string method)
        => method == "*" || Methods.Contains(method) ? null : $"\"{Names.Short(method)}\" is not a supported HTTP method ({string.Join(", ", Methods)} or *)";

    /// <summary>A header value: no control character but horizontal tab (Istio's ValidateHTTPHeaderValue, after
    /// protoc-gen-validate's header-value rule), and Envoy's <c>%VARIABLE%</c> syntax well-formed, with <c>%%</c>
    /// for a literal percent sign.</summary>
    public static string? HeaderValue(string value)
    {
        if (Controls(value, "header value") is { } reason) return reason;
        return EnvoyFormat(value);
    }

    /// <summary>Text that ends up in a request or response line or header (a rewritten path, an authority, a redirect
    /// location, a cookie path): no control characters at all.</summary>
    public static string? NoControls(string text, string what) => Controls(text, what, allowTab: false);

    /// <summary>An authority a rewrite or redirect writes into the Host header: <c>host[:port]</c> as HTTP's Host header
    /// grammar reads it (the one .NET's Host header, and so mesh-sidecar, applies), so no route fails every request.</summary>
    public static string? Authority(string authority)
    {
        if (authority.Length == 0) return null;
        if (NoControls(authority, "authority") is { } reason) return reason;
        try
        {
            new System.Net.Http.HttpRequestMessage().Headers.Host = authority;
            return null;
        }
        catch (FormatException)
        {
            return $"authority \"{Names.Short(authority)}\" is not a host[:port] a Host header can carry";
        }
    }

    /// <summary>A cookie name: an RFC 6265 token.</summary>
    public static string? CookieName(string name)
    {
        if (name.Length == 0) return "cookie name must not be empty";
        return IsToken(name) ? null : $"\"{Names.Short(name)}\" is not a valid cookie name (a token: letters, digits and !#$%&'*+-.^_`|~)";
    }

    /// <summary>A cookie path or attribute value, written into Set-Cookie: no control characters and no <c>;</c>.</summary>
    public static string? CookieAttribute(string value)
    {
        if (Controls(value, "cookie attribute", allowTab: false) is { } reason) return reason;
        return value.Contains(';') ? $"\"{Names.Short(value)}\" must not contain ';' (it would start another cookie attribute)" : null;
    }

    /// <summary>Envoy's <c>max_bytes</c> for a header name or value.</summary>
    public const int MaxHeaderLength = 16384;

    /// <summary>No control characters (tab allowed where <paramref name="allowTab"/>), ASCII only (what mesh-sidecar
    /// can send, and what a request target is), at most Envoy's header length: the sidecar NACKs the rest, so the
    /// validator refuses it before it is stored.</summary>
    private static string? Controls(string text, string what, bool allowTab = true)
    {
        if (text.Length > MaxHeaderLength) return $"{what} is {text.Length} characters long; at most {MaxHeaderLength} (Envoy's limit)";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > '\u007F')
            {
                return $"{what} \"{Names.Short(text)}\" holds the non-ASCII character U+{(int)c:X4} at position {i}; " +
                       "header values and request targets are ASCII (percent-encode it in a path)";
            }
            if ((c < ' ' && !(allowTab && c == '\t')) || c == '\u007F')
            {
                return $"{what} \"{Names.Short(text)}\" contains the control character U+{(int)c:X4} at position {i}; " +
                       (allowTab ? "CR, LF, NUL and every other control character but tab are refused" : "control characters are refused");
            }
        }
        return null;
    }

    /// <summary>Envoy reads <c>%NAME%</c> and <c>%NAME(args)%</c> in header values as variables; a lone <c>%</c>
    /// makes it refuse the route. Istio checks the same before Envoy can.</summary>
    private static string? EnvoyFormat(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%') continue;
            if (i + 1 < value.Length && value[i + 1] == '%')
            {
                i++;
                continue;
            }
            var end = i + 1;
            while (end < value.Length && value[end] is not ('%' or '(')) end++;
            if (end < value.Length && value[end] == '(')
            {
                var close = value.IndexOf(')', end);
                end = close < 0 ? value.Length : close + 1;
                while (end < value.Length && value[end] == ' ') end++;
            }
            if (end >= value.Length || value[end] != '%' || end == i + 1)
            {
                return $"header value \"{Names.Short(value)}\" has an unterminated %VARIABLE% at position {i}; write %% for a literal %";
            }
            i = end;
        }
        return null;
    }

    private static bool IsToken(string text) => text.Length > 0 && text.All(IsTokenChar);

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    public static string? RetryConditions(string text)
    {
        foreach (var part in text.Split(','))
        {
            var condition = part.Trim();
            if (condition.Length == 0) return "retryOn has an empty condition";
            if (Traffic.RetryConditions.Known.Contains(condition)) continue;
            if (int.TryParse(condition, out var status) && status is >= 100 and <= 599) continue;
            return $"\"{Names.Short(condition)}\" is not a retry condition Envoy knows (e.g. 5xx, gateway-error, connect-failure, reset, retriable-4xx, or a status code)";
        }
        return null;
    }

    public static string? HttpUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
        {
            return $"\"{Names.Short(text)}\" is not an http or https URL";
        }
        return NoControls(text, "URL");
    }
}

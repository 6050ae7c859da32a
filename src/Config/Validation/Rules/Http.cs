namespace Mesh.Config.Validation.Rules;

/// <summary>HTTP syntax: header names, status codes, URLs, Envoy retry conditions.</summary>
internal static class Http
{
    private static readonly HashSet<string> RetryOn =
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ];

    /// <summary>An HTTP header name (RFC 7230 token).</summary>
    public static string? HeaderName(string name)
    {
        if (name.Length == 0) return "header name must not be empty";
        return name.All(IsTokenChar) ? null : $"\"{Names.Short(name)}\" is not a valid HTTP header name";
    }

    /// <summary>A header the route may set or remove: a valid name that is not an HTTP/2 pseudo-header.</summary>
    public static string? WritableHeaderName(string name)
    {
        if (name.StartsWith(':')) return $"pseudo-header \"{name}\" cannot be changed";
        return HeaderName(name);
    }

    /// <summary>Header match names: Istio requires them lower case.</summary>
    public static string? MatchHeaderName(string name)
    {
        if (HeaderName(name.TrimStart(':')) is { } reason) return reason;
        return name == name.ToLowerInvariant() ? null : $"header name \"{name}\" must be lower case";
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    public static string? RetryConditions(string text)
    {
        foreach (var part in text.Split(','))
        {
            var condition = part.Trim();
            if (condition.Length == 0) return "retryOn has an empty condition";
            if (RetryOn.Contains(condition)) continue;
            if (int.TryParse(condition, out var status) && status is >= 100 and <= 599) continue;
            return $"\"{condition}\" is not a retry condition Envoy knows (e.g. 5xx, gateway-error, connect-failure, reset, retriable-4xx, or a status code)";
        }
        return null;
    }

    public static string? HttpUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
        {
            return $"\"{Names.Short(text)}\" is not an http or https URL";
        }
        return null;
    }
}

using System.Globalization;

namespace Mesh.Samples.Bookinfo;

/// <summary>Which bookinfo service this process is, from <c>--service --version --port --address</c> or
/// <c>BOOKINFO_SERVICE</c>, <c>BOOKINFO_VERSION</c>, <c>BOOKINFO_PORT</c>, <c>BOOKINFO_ADDRESS</c> (flags win).</summary>
public sealed record BookinfoOptions
{
    public const string Usage = "usage: bookinfo --service productpage|reviews|ratings [--version v1] [--port 9080] [--address 127.0.0.1]";

    private static readonly string[] Services = ["productpage", "reviews", "ratings"];

    public required string Service { get; init; }

    public required string Version { get; init; }

    public required int Port { get; init; }

    public required string Address { get; init; }

    /// <summary>Null, with <paramref name="error"/> set, when the arguments are wrong.</summary>
    public static BookinfoOptions? Parse(string[] args, Func<string, string?> environment, out string? error)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["--service"] = environment("BOOKINFO_SERVICE"),
            ["--version"] = environment("BOOKINFO_VERSION"),
            ["--port"] = environment("BOOKINFO_PORT"),
            ["--address"] = environment("BOOKINFO_ADDRESS"),
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length)
            {
                error = values.ContainsKey(args[i]) ? $"{args[i]} needs a value" : $"unknown option {args[i]}";
                return null;
            }
            values[args[i]] = args[i + 1];
        }
        var service = values["--service"];
        if (service is null || !Services.Contains(service))
        {
            error = "--service must be productpage, reviews or ratings";
            return null;
        }
        var portText = string.IsNullOrEmpty(values["--port"]) ? "9080" : values["--port"];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"bad port {portText}";
            return null;
        }
        error = null;
        return new BookinfoOptions
        {
            Service = service,
            Version = string.IsNullOrEmpty(values["--version"]) ? "v1" : values["--version"]!,
            Port = port,
            Address = string.IsNullOrEmpty(values["--address"]) ? "127.0.0.1" : values["--address"]!,
        };
    }
}

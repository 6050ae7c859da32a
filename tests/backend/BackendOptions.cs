namespace Mesh.TestBackend;

/// <summary>The command line: <c>--port N --name NAME [--version V] [--address 127.0.0.1]</c>.</summary>
public sealed record BackendOptions
{
    public const string Usage = "usage: mesh-test-backend --port N --name NAME [--version V] [--address 127.0.0.1] [--http1-only true]";

    public required int Port { get; init; }

    public required string Name { get; init; }

    public string Version { get; init; } = "v1";

    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Speak HTTP/1.1 only, as many applications do (default: HTTP/1.1 and h2c on one port).</summary>
    public bool Http1Only { get; init; }

    /// <summary>Null, with <paramref name="error"/> set, when the arguments are wrong.</summary>
    public static BackendOptions? Parse(string[] args, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--port" or "--name" or "--version" or "--address" or "--http1-only"))
            {
                error = $"unknown option {args[i]}";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return null;
            }
            values[args[i]] = args[i + 1];
        }
        if (!values.TryGetValue("--port", out var portText) || !int.TryParse(portText, out var port) || port is < 0 or > 65535)
        {
            error = "--port N is required (0 picks a free port)";
            return null;
        }
        if (!values.TryGetValue("--name", out var name) || name.Length == 0)
        {
            error = "--name NAME is required";
            return null;
        }
        error = null;
        return new BackendOptions
        {
            Port = port,
            Name = name,
            Version = values.GetValueOrDefault("--version", "v1"),
            Address = values.GetValueOrDefault("--address", "127.0.0.1"),
            Http1Only = values.GetValueOrDefault("--http1-only") == "true",
        };
    }
}

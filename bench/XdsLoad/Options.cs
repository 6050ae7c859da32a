namespace Mesh.Bench.XdsLoad;

/// <summary>What to run: how many streams of which shape, against which silos, over a mesh of how many services.</summary>
public sealed record Options
{
    public string Api { get; init; } = "http://127.0.0.1:15020";
    public List<string> Xds { get; init; } = [];
    /// <summary>Proxyless streams (LDS, RDS, CDS and EDS of two services, all at once).</summary>
    public int Streams { get; init; } = 1000;
    /// <summary>Sidecar-shaped streams (delta, node metadata, on-demand subscriptions), besides the proxyless ones.</summary>
    public int Sidecars { get; init; }
    public int Services { get; init; } = 1000;
    public bool Delta { get; init; }
    public string Label { get; init; } = "run";
    public List<int> SiloPids { get; init; } = [];
    /// <summary>Each silo's monitoring address (HOST:PORT), in the order of <see cref="SiloPids"/>: its GC heap is read there.</summary>
    public List<string> Monitoring { get; init; } = [];
    public bool Setup { get; init; } = true;
    /// <summary>Changes applied back to back after the lone change (default none). Only applies that come faster than
    /// the debounce's quiet period are batched: pushes per stream says how many were.</summary>
    public int Burst { get; init; }
    /// <summary>A file the run's result is appended to, one JSON object per line (bench/ScaleReport reads it).</summary>
    public string? Json { get; init; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        var xds = new List<string>();
        var pids = new List<int>();
        var monitoring = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--api" => options with { Api = args[++i] },
                "--xds" => options.With(() => xds.Add(args[++i])),
                "--streams" => options with { Streams = int.Parse(args[++i]) },
                "--sidecars" => options with { Sidecars = int.Parse(args[++i]) },
                "--services" => options with { Services = int.Parse(args[++i]) },
                "--delta" => options with { Delta = true },
                "--no-setup" => options with { Setup = false },
                "--label" => options with { Label = args[++i] },
                "--silo-pid" => options.With(() => pids.Add(int.Parse(args[++i]))),
                "--monitoring" => options.With(() => monitoring.Add(args[++i])),
                "--burst" => options with { Burst = int.Parse(args[++i]) },
                "--json" => options with { Json = args[++i] },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        return options with { Xds = xds.Count > 0 ? xds : ["127.0.0.1:15010"], SiloPids = pids, Monitoring = monitoring };
    }

    private Options With(Action action)
    {
        action();
        return this;
    }
}

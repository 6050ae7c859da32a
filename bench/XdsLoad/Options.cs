namespace Mesh.Bench.XdsLoad;

/// <summary>What to run: how many streams, against which silos, over a mesh of how many services.</summary>
public sealed record Options
{
    public string Api { get; init; } = "http://127.0.0.1:15020";
    public List<string> Xds { get; init; } = [];
    public int Streams { get; init; } = 1000;
    public int Services { get; init; } = 1000;
    public bool Delta { get; init; }
    public string Label { get; init; } = "run";
    public List<int> SiloPids { get; init; } = [];
    public bool Setup { get; init; } = true;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        var xds = new List<string>();
        var pids = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--api" => options with { Api = args[++i] },
                "--xds" => options.With(() => xds.Add(args[++i])),
                "--streams" => options with { Streams = int.Parse(args[++i]) },
                "--services" => options with { Services = int.Parse(args[++i]) },
                "--delta" => options with { Delta = true },
                "--no-setup" => options with { Setup = false },
                "--label" => options with { Label = args[++i] },
                "--silo-pid" => options.With(() => pids.Add(int.Parse(args[++i]))),
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        return options with { Xds = xds.Count > 0 ? xds : ["127.0.0.1:15010"], SiloPids = pids };
    }

    private Options With(Action action)
    {
        action();
        return this;
    }
}

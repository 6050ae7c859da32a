namespace Mesh.Bench.KubeLoad;

/// <summary>What to run: the silo to start, the size of each mesh and how many changes of each kind.</summary>
public sealed record Options
{
    public string SiloDll { get; init; } = "src/Silo/bin/Release/net10.0/mesh-silo.dll";

    /// <summary>The silo's ports are BASE+1.. (as bench/scale/cluster.sh numbers them).</summary>
    public int BasePort { get; init; } = 27000;

    /// <summary>Services in each mesh: the one the API server holds, and the reference one written through the API.</summary>
    public int Services { get; init; } = 200;

    /// <summary>Changes of each kind, one after the other and then in a burst (at most <see cref="Services"/>).</summary>
    public int Changes { get; init; } = 100;

    /// <summary>A file every sample is written to (CSV), besides the table.</summary>
    public string? Samples { get; init; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--silo-dll" => options with { SiloDll = args[++i] },
                "--base-port" => options with { BasePort = int.Parse(args[++i]) },
                "--services" => options with { Services = int.Parse(args[++i]) },
                "--changes" => options with { Changes = int.Parse(args[++i]) },
                "--samples" => options with { Samples = args[++i] },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        if (options.Changes > options.Services) throw new ArgumentException("--changes is at most --services: a burst changes each service once");
        return options;
    }
}

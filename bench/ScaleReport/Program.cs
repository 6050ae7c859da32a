using System.Text.Json;
using Mesh.Bench.ScaleReport;
using Mesh.Bench.XdsLoad;

// The scale runs' tables and plots (bench/run-scale.sh): reads DIR/runs.jsonl, writes DIR/report.md and the PNGs.
var directory = args.Length == 1 ? args[0] : throw new ArgumentException("usage: ScaleReport DIR (holding runs.jsonl)");
var runs = File.ReadLines(Path.Combine(directory, "runs.jsonl"))
    .Where(l => l.Length > 0)
    .Select(l => JsonSerializer.Deserialize<RunResult>(l)!)
    .ToList();
var scale = new ScaleRuns(runs);
var plots = Plots.Write(scale, directory).ToList();
var report = Report.Markdown(scale, File.Exists(Path.Combine(directory, "machine.txt")) ? File.ReadAllText(Path.Combine(directory, "machine.txt")) : "");
File.WriteAllText(Path.Combine(directory, "report.md"), report);
Console.WriteLine(report);
foreach (var plot in plots) Console.Error.WriteLine($"wrote {plot}");

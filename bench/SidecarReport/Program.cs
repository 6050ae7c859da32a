using Mesh.Bench.SidecarReport;

// The report of bench/sidecar/run-sidecar-bench.sh: reads the run's work folder (manifest.tsv, env.txt, h2load's
// per-request logs, the proxies' /proc samples), writes report.md and the PNGs there and prints the report.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: SidecarReport WORK_DIR   (the folder run-sidecar-bench.sh measured into)");
    return 2;
}
var results = BenchResults.Read(args[0]);
var plots = Plots.Write(results, args[0]).ToList();
using (var file = new StreamWriter(Path.Combine(args[0], "report.md")))
    MarkdownReport.Write(file, results, plots);
Console.Write(File.ReadAllText(Path.Combine(args[0], "report.md")));
return 0;

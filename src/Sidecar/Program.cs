using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Health;
using Mesh.Sidecar.Hosting;

var parsed = SidecarCommandLine.Command.Parse(args);
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    return parsed.Invoke();
}
if (parsed.CommandResult.Command == CaptureCommandLine.Command)
{
    return CaptureCommandLine.Run(parsed);
}
if (parsed.CommandResult.Command == WaitCommandLine.Command)
{
    return await WaitCommandLine.Run(parsed);
}
var (options, errors) = SidecarCommandLine.Parse(parsed, Environment.GetEnvironmentVariable);
if (options is null)
{
    foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine("Run mesh-sidecar --help for the flags.");
    return 2;
}
await SidecarHost.Build(options).RunAsync();
return 0;

using System.Net;
using Mesh.Hosting;
using Mesh.TestBackend;
using Mesh.TestBackend.Faults;
using Mesh.TestBackend.Grpc;
using Mesh.TestBackend.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var options = BackendOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"mesh-test-backend: {error}");
    Console.Error.WriteLine(BackendOptions.Usage);
    return 2;
}

// No args to the builder: its command-line configuration would read --port and --name as settings.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "mesh-test-backend" });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AllowCleartextHttp2();
    kestrel.Listen(IPAddress.Parse(options.Address), options.Port, listen =>
    {
        if (options.Http1Only) listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
        else listen.UseHttp1AndCleartextHttp2();
    });
});
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<FaultState>();
builder.Services.AddGrpc();

var app = builder.Build();
app.Use((context, next) =>
{
    context.Response.Headers["x-backend"] = options.Name;
    return next(context);
});
app.UseMiddleware<FaultMiddleware>();
app.MapGrpcService<EchoService>();
app.MapControl();
app.MapOrdinary();

await app.StartAsync();
// The bound port, so that --port 0 tells the caller which port it got. Kestrel lists the endpoint as https because
// CleartextHttp marks it as TLS to keep both protocols; it is plain http.
var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
var port = bound is null ? options.Port : new Uri(bound).Port;
Console.WriteLine($"listening on http://{options.Address}:{port}");
await app.WaitForShutdownAsync();
return 0;

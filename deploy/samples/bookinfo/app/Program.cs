using System.Net;
using Mesh.Hosting;
using Mesh.Samples.Bookinfo;

var options = BookinfoOptions.Parse(args, Environment.GetEnvironmentVariable, out var error);
if (options is null)
{
    Console.Error.WriteLine($"bookinfo: {error}");
    Console.Error.WriteLine(BookinfoOptions.Usage);
    return 2;
}

// No args to the builder: its command-line configuration would read --service and --port as settings.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "bookinfo" });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AllowCleartextHttp2();
    kestrel.Listen(IPAddress.Parse(options.Address), options.Port, listen => listen.UseHttp1AndCleartextHttp2());
});
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(_ => new Downstream(Downstream.CreateClient(Environment.GetEnvironmentVariable("HTTP_PROXY")), Environment.GetEnvironmentVariable));

var app = builder.Build();
app.Use((context, next) =>
{
    context.Response.Headers[Downstream.VersionHeader] = options.Version;
    return next(context);
});
app.MapGet("/health", () => Results.Text("ok"));
switch (options.Service)
{
    case "productpage": app.MapProductPage(); break;
    case "reviews": app.MapReviews(); break;
    default: app.MapRatings(); break;
}

await app.StartAsync();
Console.WriteLine($"bookinfo {options.Service} {options.Version} listening on http://{options.Address}:{options.Port}");
await app.WaitForShutdownAsync();
return 0;

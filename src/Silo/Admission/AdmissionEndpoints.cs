using System.Net.Security;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Silo.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Mesh.Silo.Admission;

/// <summary>The webhook port: HTTPS with <see cref="AdmissionCertificate"/>, <c>POST /inject</c> and <c>POST /validate</c>
/// (AdmissionReview v1 in and out). Off unless <see cref="AdmissionOptions.ServedPort"/> names a port.</summary>
public static class AdmissionEndpoints
{
    public const string InjectPath = "/inject", ValidatePath = "/validate";

    public static IServiceCollection AddMeshAdmission(this IServiceCollection services, MeshOptions mesh)
    {
        if (mesh.Admission.ServedPort is null) return services;
        services.AddSingleton<AdmissionCertificate>();
        services.AddHostedService(provider => provider.GetRequiredService<AdmissionCertificate>());
        services.AddSingleton<SidecarInjector>();
        services.AddHostedService<CaBundlePublisher>();
        return services;
    }

    public static void ListenAdmission(this KestrelServerOptions kestrel, MeshOptions mesh)
    {
        if (mesh.Admission.ServedPort is not { } port) return;
        kestrel.Listen(ListenAddress.Bind(mesh.Admission.Address), port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = kestrel.ApplicationServices.GetRequiredService<AdmissionCertificate>().Context
                        ?? throw new AuthenticationException("the webhook's certificate is not issued yet"),
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                }),
            });
        });
    }

    public static void MapMeshAdmission(this WebApplication app, MeshOptions mesh)
    {
        if (mesh.Admission.ServedPort is null) return;
        app.MapPost(InjectPath, (HttpContext context, SidecarInjector injector) =>
            Answer(context, review => injector.Review(review, context.RequestAborted)));
        app.MapPost(ValidatePath, (Func<HttpContext, Task<IResult>>)(context =>
            Answer(context, review => Task.FromResult(ResourceAdmission.Review(review)))));
    }

    /// <summary>A body that is not an AdmissionReview is the caller's mistake: 400 with what is wrong, and the API
    /// server applies the webhook's failurePolicy.</summary>
    private static async Task<IResult> Answer(HttpContext context, Func<AdmissionReviewMessage, Task<JsonObject>> review)
    {
        AdmissionReviewMessage message;
        try
        {
            message = AdmissionReviewMessage.Read(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted));
        }
        catch (Exception invalid) when (invalid is JsonException or FormatException)
        {
            return Results.Text($"not an AdmissionReview: {invalid.Message}\n", statusCode: StatusCodes.Status400BadRequest);
        }
        return Results.Text((await review(message)).ToJsonString(), "application/json");
    }
}

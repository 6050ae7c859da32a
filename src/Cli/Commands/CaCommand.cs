using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl ca show | rotate</c>: the mesh's trusted roots, and a new signing root.</summary>
public static class CaCommand
{
    public static Command Create()
    {
        var pem = new Option<bool>("--pem") { Description = "print the trust bundle as PEM (for mesh-sidecar --root-cert)" };
        var show = new Command("show", "Show the trusted roots (the signing one first)") { pem };
        show.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var info = await connection.Security.GetCaAsync(new GetCaRequest(), connection.Call(cancellationToken, TimeSpan.FromSeconds(30)));
            Console.Write(parse.GetValue(pem) ? string.Concat(info.Roots.Select(r => r.Pem)) : Render(info));
            return 0;
        }));
        var retire = new Option<bool>("--retire-previous") { Description = "stop trusting the previous roots now (certificates they signed stop working)" };
        var rotate = new Command("rotate", "Generate a new root that signs from now on (after it reached every proxy); previous roots stay trusted until retired") { retire };
        rotate.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var info = await connection.Security.RotateCaAsync(new RotateCaRequest { RetirePrevious = parse.GetValue(retire) }, connection.Call(cancellationToken, TimeSpan.FromSeconds(60)));
            Console.Write(Render(info));
            Console.Error.WriteLine(parse.GetValue(retire)
                ? "rotated: only the new root is trusted; workloads renew onto it at their next renewal"
                : "rotated: the new root is trusted now and signs once it has reached every proxy (15 s); run 'meshctl ca rotate --retire-previous' once every workload has renewed onto it (meshctl cert status)");
            return 0;
        }));
        return new Command("ca", "The mesh's certificate authority") { show, rotate };
    }

    private static string Render(CaInfo info) =>
        TerminalText.Of($"trust domain: {info.TrustDomain}   bundle version: {info.BundleVersion}") + "\n" +
        Table.Render(["SIGNING", "SOURCE", "NOT AFTER", "SHA-256", "SUBJECT"],
            info.Roots.Select(r => (IReadOnlyList<string>)[r.Signing ? "yes" : "no", r.Source, r.NotAfter.ToDateTimeOffset().ToString("u"), r.Sha256Fingerprint, r.Subject]));
}

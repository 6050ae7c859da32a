using System.CommandLine;
using System.Text.Json;
using Mesh.Api.V1;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl cert status</c>: each workload's current certificate: identity, issuer, validity.</summary>
public static class CertCommand
{
    public static Command Create()
    {
        var @namespace = new Option<string?>("--namespace", "-n") { Description = "only this namespace (default: all)" };
        var output = new Option<string>("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var status = new Command("status", "Show the workload certificates issued and not yet expired") { @namespace, output };
        status.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            using var connection = GlobalOptions.Connect(parse);
            var response = await connection.Security.ListCertificatesAsync(new ListCertificatesRequest { Namespace = parse.GetValue(@namespace) ?? "" },
                connection.Call(cancellationToken, TimeSpan.FromSeconds(30)));
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(output) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(response.Certificates.Select(c => new
                {
                    holder = c.Holder, identity = c.SpiffeId, serial = c.SerialNumber, issuer = c.Issuer,
                    notBefore = c.NotBefore.ToDateTimeOffset(), notAfter = c.NotAfter.ToDateTimeOffset(),
                }), new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            if (response.Certificates.Count == 0)
            {
                Console.Error.WriteLine("no workload certificates issued (sidecars get them over the secured xDS port with a token from 'meshctl token create')");
                return 0;
            }
            Console.Write(Table.Render(["WORKLOAD", "IDENTITY", "ISSUER", "NOT AFTER", "EXPIRES IN", "SERIAL"],
                response.Certificates.Select(c => (IReadOnlyList<string>)[c.Holder, c.SpiffeId, c.Issuer, c.NotAfter.ToDateTimeOffset().ToString("u"),
                    Table.Age(now, c.NotAfter.ToDateTimeOffset()), c.SerialNumber])));
            return 0;
        }));
        return new Command("cert", "Workload certificates") { status };
    }
}

using System.Text.Json.Nodes;
using Mesh.Api.V1;
using Mesh.Cli.Output;
using Mesh.Config.Manifests;

namespace Mesh.Cli.Commands;

/// <summary>Credentials as <c>meshctl secret get</c> prints them: a table, or Kubernetes-shaped Secret documents whose
/// <c>data</c> is replaced by what the certificate is.</summary>
public static class SecretOutput
{
    public static string Render(IReadOnlyList<Secret> secrets, string format, bool allNamespaces, bool single, DateTimeOffset now) => format switch
    {
        "yaml" => ManifestWriter.ToYaml(secrets.Select(Document)),
        "json" => ManifestWriter.ToJson(single && secrets.Count == 1
            ? Document(secrets[0])
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. secrets.Select(Document)]) }) + "\n",
        _ => Table.Render(
            [.. (allNamespaces ? ["NAMESPACE"] : Array.Empty<string>()), "NAME", "TYPE", "SUBJECT", "NOT-AFTER", "AGE"],
            secrets.Select(s => (IReadOnlyList<string>)[
                .. (allNamespaces ? [s.Namespace] : Array.Empty<string>()),
                s.Name, s.Type, s.Subject, s.NotAfter.ToDateTimeOffset().ToString("u"), Table.Age(s.Created.ToDateTimeOffset(), now)])),
    };

    public static JsonNode Document(Secret secret) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = secret.Name,
            ["namespace"] = secret.Namespace,
            ["creationTimestamp"] = secret.Created.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["resourceVersion"] = secret.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        ["type"] = secret.Type,
        ["keys"] = new JsonArray([.. secret.Keys.Select(k => (JsonNode)k)]),
        ["certificate"] = new JsonObject
        {
            ["subject"] = secret.Subject,
            ["dnsNames"] = new JsonArray([.. secret.DnsNames.Select(n => (JsonNode)n)]),
            ["ipAddresses"] = new JsonArray([.. secret.IpAddresses.Select(n => (JsonNode)n)]),
            ["notBefore"] = secret.NotBefore.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["notAfter"] = secret.NotAfter.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["sha256Fingerprint"] = secret.Sha256Fingerprint,
            ["caCertificates"] = secret.CaCertificates,
        },
    };
}

using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>The bookinfo sample users apply in the README's walkthrough.</summary>
public static class Samples
{
    public static string ReviewsPath => Path.Combine(Repository.Root, "deploy", "samples", "bookinfo", "reviews.yaml");

    public static IReadOnlyList<JsonObject> Documents(string path) =>
        [.. ManifestParser.Parse(File.ReadAllBytes(path)).Select(d => d.Root ?? throw new InvalidOperationException(string.Join("; ", d.Errors)))];

    public static JsonObject Find(IEnumerable<JsonObject> documents, string kind, string name) =>
        documents.Single(d => d["kind"]!.GetValue<string>() == kind && d["metadata"]!["name"]!.GetValue<string>() == name);

    public static JsonObject VirtualService(string name, string @namespace, int v1Weight) => JsonNode.Parse($$"""
        {
          "apiVersion": "networking.istio.io/v1",
          "kind": "VirtualService",
          "metadata": { "name": "{{name}}", "namespace": "{{@namespace}}", "labels": { "app": "{{name}}" } },
          "spec": {
            "hosts": ["{{name}}"],
            "http": [{
              "route": [
                { "destination": { "host": "{{name}}", "subset": "v1" }, "weight": {{v1Weight}} },
                { "destination": { "host": "{{name}}", "subset": "v2" }, "weight": {{100 - v1Weight}} }
              ]
            }]
          }
        }
        """)!.AsObject();
}

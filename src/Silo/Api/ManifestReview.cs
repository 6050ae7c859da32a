using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Config.Validation.Rules;

namespace Mesh.Silo.Api;

/// <summary>An apply request read and validated, before anything is stored or authorized: each document's target
/// (kind, namespace, name), and the failure that stops the whole request, if any. Reading has no side effects.</summary>
public sealed class ManifestReview
{
    public required string DefaultNamespace { get; init; }
    public required IReadOnlyList<ReviewedDocument> Documents { get; init; }
    /// <summary>INVALID_ARGUMENT carrying every error; null when every document is valid.</summary>
    public RpcException? Failure { get; init; }

    /// <summary>Every namespace the request would write: the documents', or the request's when it has none.</summary>
    public IReadOnlyList<string> Namespaces =>
        Documents.Count == 0 ? [DefaultNamespace] : [.. Documents.Select(d => d.Namespace).Distinct(StringComparer.Ordinal)];

    public static ManifestReview Read(ApplyRequest request)
    {
        var defaultNamespace = string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace;
        if (!ResourceNames.IsDns1123Label(defaultNamespace))
        {
            return Failed(defaultNamespace, [], $"namespace \"{ConfigApiService.Truncate(defaultNamespace)}\" is not a valid namespace name (a DNS-1123 label)");
        }
        var parsed = request.ManifestBytes.IsEmpty ? ManifestParser.Parse(request.Manifest) : ManifestParser.Parse(request.ManifestBytes.Span);
        if (parsed.Count == 0)
        {
            return Failed(defaultNamespace, [], "the manifest holds no documents; pass YAML or JSON with apiVersion, kind, metadata and spec");
        }

        var errors = new List<FieldIssue>();
        var documents = parsed.Select(document => Review(document, defaultNamespace, errors)).ToList();
        foreach (var duplicate in documents.Where(d => d.Resource is not null).GroupBy(d => d.Resource!.Key).Where(g => g.Count() > 1))
        {
            errors.Add(new FieldIssue { Resource = duplicate.First().Resource!.DisplayName, Path = "metadata.name", Reason = "appears more than once in this manifest" });
            Mark(documents, d => d.Resource?.Key == duplicate.Key, "metadata.name: appears more than once in this manifest");
        }

        long? requestExpected;
        try
        {
            requestExpected = ConfigApiService.ParseResourceVersion(request.ExpectedResourceVersion, "expectedResourceVersion");
        }
        catch (RpcException invalid)
        {
            return Failed(defaultNamespace, documents, invalid.Status.Detail);
        }
        if (requestExpected is not null && parsed.Count != 1)
        {
            return Failed(defaultNamespace, documents,
                $"expectedResourceVersion applies to a single resource, but the manifest holds {parsed.Count} documents; set metadata.resourceVersion in each instead");
        }
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].Resource is not { } resource) continue;
            var (expected, issue) = requestExpected is null ? DocumentVersion(resource) : (requestExpected, null);
            issue ??= KubernetesOwnership.Claim(resource);
            documents[i] = documents[i] with { ExpectedResourceVersion = expected };
            if (issue is null) continue;
            errors.Add(issue);
            documents[i] = documents[i] with { Error = issue.Display() };
        }
        return new ManifestReview
        {
            DefaultNamespace = defaultNamespace,
            Documents = documents,
            Failure = errors.Count > 0 ? ApiErrors.Invalid(errors) : null,
        };
    }

    private static ReviewedDocument Review(ManifestDocument document, string defaultNamespace, List<FieldIssue> errors)
    {
        if (document.Root is null || document.Errors.Count > 0)
        {
            var issues = document.Errors.Select(error => Issue($"document {document.Index + 1}", error)).ToList();
            errors.AddRange(issues);
            return Target(document.Root, defaultNamespace) with { Error = issues.Count > 0 ? issues[0].Display() : $"document {document.Index + 1} cannot be read" };
        }
        var result = ResourceValidator.Validate(document.Root, defaultNamespace, document.Index);
        var documentErrors = result.Errors.Select(error => Issue(result.DisplayName, error)).ToList();
        errors.AddRange(documentErrors);
        if (!result.IsValid)
        {
            return Target(document.Root, defaultNamespace) with { Error = documentErrors.Count > 0 ? documentErrors[0].Display() : "not valid" };
        }
        var resource = result.Resource!;
        return new ReviewedDocument(resource.Kind.Kind, resource.Metadata.Namespace, resource.Metadata.Name) { Resource = resource };
    }

    /// <summary>What an invalid document names, as far as it can be read; the request's namespace when it names none.</summary>
    private static ReviewedDocument Target(JsonObject? root, string defaultNamespace)
    {
        var metadata = root?["metadata"] as JsonObject;
        var ns = metadata?["namespace"] switch
        {
            null => defaultNamespace,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            var other => other.ToJsonString(),
        };
        return new ReviewedDocument(Text(root?["kind"]), ns, Text(metadata?["name"]));
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static void Mark(List<ReviewedDocument> documents, Func<ReviewedDocument, bool> which, string error)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            if (which(documents[i])) documents[i] = documents[i] with { Error = error };
        }
    }

    private static ManifestReview Failed(string defaultNamespace, IReadOnlyList<ReviewedDocument> documents, string message) => new()
    {
        DefaultNamespace = defaultNamespace,
        Documents = documents,
        Failure = ApiErrors.Invalid(message),
    };

    private static (long? Version, FieldIssue? Issue) DocumentVersion(Resource resource)
    {
        var version = resource.Metadata.ResourceVersion;
        if (string.IsNullOrEmpty(version)) return (null, null);
        if (long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0) return (parsed, null);
        return (null, new FieldIssue { Resource = resource.DisplayName, Path = "metadata.resourceVersion", Reason = $"\"{ConfigApiService.Truncate(version)}\" is not a resourceVersion (a positive integer)" });
    }

    private static FieldIssue Issue(string resource, FieldError error) =>
        new() { Resource = resource, Path = error.Path, Reason = error.Reason };
}

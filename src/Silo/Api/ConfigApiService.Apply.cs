using System.Globalization;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    /// <summary>Validates every document first; stores nothing unless all are valid.</summary>
    public override async Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context)
    {
        var defaultNamespace = RequireNamespace(string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace);
        var documents = request.ManifestBytes.IsEmpty
            ? ManifestParser.Parse(request.Manifest)
            : ManifestParser.Parse(request.ManifestBytes.Span);

        var errors = new List<FieldIssue>();
        var validated = new List<(Resource Resource, List<FieldIssue> Warnings)>();
        foreach (var document in documents)
        {
            if (document.Root is null || document.Errors.Count > 0)
            {
                errors.AddRange(document.Errors.Select(error => Issue($"document {document.Index + 1}", error)));
                continue;
            }
            var result = ResourceValidator.Validate(document.Root, defaultNamespace, document.Index);
            errors.AddRange(result.Errors.Select(error => Issue(result.DisplayName, error)));
            if (result.IsValid)
            {
                validated.Add((result.Resource!, [.. result.Warnings.Select(w => Issue(result.DisplayName, w))]));
            }
        }
        if (documents.Count == 0)
        {
            throw ApiErrors.Invalid("the manifest holds no documents; pass YAML or JSON with apiVersion, kind, metadata and spec");
        }
        foreach (var duplicate in validated.GroupBy(v => v.Resource.Key).Where(g => g.Count() > 1))
        {
            errors.Add(new FieldIssue { Resource = duplicate.First().Resource.DisplayName, Path = "metadata.name", Reason = "appears more than once in this manifest" });
        }
        var requestExpected = ParseResourceVersion(request.ExpectedResourceVersion, "expectedResourceVersion");
        if (requestExpected is not null && documents.Count != 1)
        {
            throw ApiErrors.Invalid($"expectedResourceVersion applies to a single resource, but the manifest holds {documents.Count} documents; set metadata.resourceVersion in each instead");
        }
        var expectations = new List<long?>();
        foreach (var (resource, _) in validated)
        {
            expectations.Add(requestExpected ?? ParseDocumentVersion(resource, errors));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(errors);
        }

        var lookup = new ManifestLookup(validated.Select(v => v.Resource).ToList(), catalog, grains);
        var response = new ApplyResponse();
        for (var i = 0; i < validated.Count; i++)
        {
            var (resource, warnings) = validated[i];
            var references = await ReferenceChecker.CheckAsync(resource, lookup, context.CancellationToken);
            warnings.AddRange(references.Select(w => Issue(resource.DisplayName, w)));
            response.Results.Add(await Store(resource, expectations[i], request.DryRun, warnings, response.Results.Count));
        }
        return response;
    }

    private async Task<ApplyResult> Store(Resource resource, long? expected, bool dryRun, List<FieldIssue> warnings, int alreadyApplied)
    {
        var write = new ConfigWrite
        {
            ApiVersion = resource.ApiVersion,
            Labels = new Dictionary<string, string>(resource.Metadata.Labels),
            Annotations = new Dictionary<string, string>(resource.Metadata.Annotations),
            SpecJson = resource.Spec.ToJsonString(),
            ExpectedResourceVersion = expected,
            DryRun = dryRun,
        };
        var result = await grains.GetGrain<IConfigGrain>(resource.Key).Apply(write);
        if (result.Outcome == WriteOutcome.Conflict)
        {
            var message = ConflictMessage(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, expected!.Value, result.CurrentResourceVersion);
            throw ApiErrors.Conflict(alreadyApplied == 0 ? message : $"{message} ({alreadyApplied} earlier document(s) of the manifest were applied)");
        }
        var applied = new ApplyResult
        {
            Kind = resource.Kind.Kind,
            ApiGroup = resource.Kind.Group,
            Namespace = resource.Metadata.Namespace,
            Name = resource.Metadata.Name,
            Outcome = result.Outcome.ToString().ToLowerInvariant(),
            ResourceVersion = (result.Config?.ResourceVersion ?? result.CurrentResourceVersion).ToString(CultureInfo.InvariantCulture),
        };
        applied.Warnings.Add(warnings);
        return applied;
    }

    private static long? ParseDocumentVersion(Resource resource, List<FieldIssue> errors)
    {
        var version = resource.Metadata.ResourceVersion;
        if (string.IsNullOrEmpty(version)) return null;
        if (long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0) return parsed;
        errors.Add(new FieldIssue { Resource = resource.DisplayName, Path = "metadata.resourceVersion", Reason = $"\"{Truncate(version)}\" is not a resourceVersion (a positive integer)" });
        return null;
    }

    private static FieldIssue Issue(string resource, FieldError error) =>
        new() { Resource = resource, Path = error.Path, Reason = error.Reason };
}

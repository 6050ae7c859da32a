using System.Globalization;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Validation;
using Mesh.Grains.Audit;
using Mesh.Grains.Config;
using Mesh.Silo.Access;
using Mesh.Silo.Audit;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    /// <summary>Reads and validates every document, checks the caller may write to every namespace they name, and
    /// stores nothing unless both hold. Every document's outcome goes to the audit trail (a refused request's as one
    /// entry per namespace).</summary>
    public override async Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context)
    {
        var attempt = audit.Begin(context, "apply", request.DryRun);
        try
        {
            var review = ManifestReview.Read(request);
            if (WriteAccess.Check(attempt.User, attempt.Verb, review.Namespaces) is { } denial)
            {
                AddRefused(attempt, review, AuditOutcome.Denied, d => denial.Refuses(d.Namespace) ? denial.Message : $"not applied: {denial.Message}");
                throw ApiErrors.Denied(denial.Message);
            }
            if (review.Failure is { } failure)
            {
                AddRefused(attempt, review, AuditOutcome.Invalid, d => d.Error ?? $"not applied: {Truncate(failure.Status.Detail)}");
                throw failure;
            }
            if (await LaterDocumentOwnedByKubernetes(review.Documents, attempt, context) is { } owned)
            {
                AddRefused(attempt, review, AuditOutcome.Denied, d => d == owned.Document ? owned.Message : $"not applied: {owned.Message}");
                throw ApiErrors.NotOwned(owned.Message);
            }
            return await Store(review.Documents, request.DryRun, attempt, context.Deadline, context.CancellationToken);
        }
        finally
        {
            await attempt.Complete();
        }
    }

    private async Task<ApplyResponse> Store(IReadOnlyList<ReviewedDocument> documents, bool dryRun, WriteAttempt attempt, DateTime deadline, CancellationToken cancellationToken)
    {
        var lookup = new ManifestLookup(documents.Select(d => d.Resource!).ToList(), catalog, grains);
        var response = new ApplyResponse();
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            var resource = document.Resource!;
            var write = ToWrite(document, dryRun);
            var retry = WriteRetry.For(time, deadline);
            WriteResult result;
            try
            {
                // Reading the references and writing are tried again together after a cluster fault: the reads are
                // safe to repeat, and the write's repetition is read by WriteSettlement.
                var (references, answer) = await retry.Run(async () =>
                    (await ReferenceChecker.CheckAsync(resource, lookup, cancellationToken),
                     await grains.GetGrain<IConfigGrain>(resource.Key).Apply(write)), cancellationToken);
                document.Warnings.AddRange(references.Select(w => new FieldIssue { Resource = resource.DisplayName, Path = w.Path, Reason = w.Reason }));
                result = WriteSettlement.Apply(answer, write, retry.MayHaveLanded, retry.StartedAt);
            }
            catch (WriteUnsettledException unsettled)
            {
                var error = ApiErrors.WriteUnsettled(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, delete: false, unsettled);
                attempt.Add(AuditOutcome.Failed, document.Kind, document.Namespace, document.Name, detail: error.Status.Detail);
                Skip(attempt, documents.Skip(i + 1), "an earlier document of the manifest failed");
                throw i == 0 ? error : new RpcException(new Status(error.StatusCode, $"{error.Status.Detail} ({i} earlier document(s) of the manifest were applied)"));
            }
            catch (Exception exception)
            {
                attempt.Add(AuditOutcome.Failed, document.Kind, document.Namespace, document.Name, detail: exception.Message);
                Skip(attempt, documents.Skip(i + 1), "an earlier document of the manifest failed");
                throw;
            }
            if (result.Outcome == WriteOutcome.OwnedByKubernetes)
            {
                // The grain refused it: the source's, not the API's, to change.
                var refusal = KubernetesOwnership.Refusal(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, delete: false);
                attempt.Add(AuditOutcome.Denied, document.Kind, document.Namespace, document.Name, detail: refusal);
                Skip(attempt, documents.Skip(i + 1), "an earlier document of the manifest comes from Kubernetes");
                throw ApiErrors.NotOwned(i == 0 ? refusal : $"{refusal} ({i} earlier document(s) of the manifest were applied)");
            }
            if (result.Outcome == WriteOutcome.Conflict)
            {
                var message = ConflictMessage(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, document.ExpectedResourceVersion!.Value, result.CurrentResourceVersion);
                attempt.Add(AuditOutcome.Conflict, document.Kind, document.Namespace, document.Name, result.CurrentResourceVersion, message);
                Skip(attempt, documents.Skip(i + 1), "an earlier document of the manifest conflicted");
                throw ApiErrors.Conflict(i == 0 ? message : $"{message} ({i} earlier document(s) of the manifest were applied)");
            }
            var version = result.Config?.ResourceVersion ?? result.CurrentResourceVersion;
            var outcome = result.Outcome.ToString().ToLowerInvariant();
            attempt.Add(result.Outcome == WriteOutcome.Unchanged ? AuditOutcome.Unchanged : AuditOutcome.Applied,
                document.Kind, document.Namespace, document.Name, version, result.Outcome == WriteOutcome.Unchanged ? "" : outcome);
            var applied = new ApplyResult
            {
                Kind = resource.Kind.Kind,
                ApiGroup = resource.Kind.Group,
                Namespace = resource.Metadata.Namespace,
                Name = resource.Metadata.Name,
                Outcome = outcome,
                ResourceVersion = version.ToString(CultureInfo.InvariantCulture),
            };
            applied.Warnings.Add(document.Warnings);
            response.Results.Add(applied);
        }
        return response;
    }

    /// <summary>The grain refuses a Kubernetes-owned resource in the write's own turn, but by then a manifest's earlier
    /// documents are stored. So a manifest of several documents has its later ones read first (the first needs no read:
    /// its refusal changes nothing), and a refused manifest stores nothing; a single document costs no extra read.</summary>
    private async Task<(ReviewedDocument Document, string Message)?> LaterDocumentOwnedByKubernetes(IReadOnlyList<ReviewedDocument> documents, WriteAttempt attempt, ServerCallContext context)
    {
        if (documents.Count < 2) return null;
        var later = documents.Skip(1).ToList();
        StoredConfig?[] stored;
        try
        {
            stored = await WriteRetry.For(time, context.Deadline).Run(
                () => Task.WhenAll(later.Select(d => grains.GetGrain<IConfigGrain>(d.Resource!.Key).Get())), context.CancellationToken);
        }
        catch (WriteUnsettledException unsettled)
        {
            var first = documents[0].Resource!;
            var error = ApiErrors.WriteUnsettled(first.Kind, first.Metadata.Namespace, first.Metadata.Name, delete: false,
                new WriteUnsettledException(unsettled.InnerException ?? unsettled, mayHaveLanded: false, unsettled.Attempts));
            Skip(attempt, documents, error.Status.Detail);
            throw error;
        }
        var index = Array.FindIndex(stored, s => s is { FromKubernetes: true });
        if (index < 0) return null;
        var resource = later[index].Resource!;
        return (later[index], KubernetesOwnership.Refusal(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, delete: false));
    }

    private static ConfigWrite ToWrite(ReviewedDocument document, bool dryRun) =>
        ConfigWrite.Of(document.Resource!) with { ExpectedResourceVersion = document.ExpectedResourceVersion, DryRun = dryRun };

    /// <summary>Errors a refused request's audit entry quotes, per namespace; the caller's response has them all.</summary>
    private const int QuotedErrors = 3;

    /// <summary>A refused request is one entry per namespace it names (its own when it holds no documents), not one per
    /// document, so that a large refused manifest costs the trail a row, not a thousand: the first document, how many
    /// more there were, and the first errors.</summary>
    private static void AddRefused(WriteAttempt attempt, ManifestReview review, AuditOutcome outcome, Func<ReviewedDocument, string> detail)
    {
        IReadOnlyList<ReviewedDocument> documents = review.Documents.Count > 0 ? review.Documents : [new ReviewedDocument("", review.DefaultNamespace, "")];
        foreach (var inNamespace in documents.GroupBy(d => d.Namespace, StringComparer.Ordinal))
        {
            var first = inNamespace.First();
            var count = inNamespace.Count();
            if (count == 1)
            {
                attempt.Add(outcome, first.Kind, first.Namespace, first.Name, detail: detail(first));
                continue;
            }
            var quoted = string.Join("; ", inNamespace.Select(detail).Distinct(StringComparer.Ordinal).Take(QuotedErrors));
            attempt.Add(outcome, first.Kind, first.Namespace, $"{first.Name} (and {count - 1} more)",
                detail: $"{count} documents in this namespace, none applied: {quoted}{(count > QuotedErrors ? "; ..." : "")}");
        }
    }

    private static void Skip(WriteAttempt attempt, IEnumerable<ReviewedDocument> rest, string why)
    {
        foreach (var document in rest)
        {
            attempt.Add(AuditOutcome.Skipped, document.Kind, document.Namespace, document.Name, detail: $"not attempted: {why}");
        }
    }
}

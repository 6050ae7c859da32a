using System.Diagnostics;
using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>Feeds one input through the manifest reader and the validator, as the server does, and names every broken
/// promise: an exception, a refusal without a field path or reason, text in an error that could forge a line of
/// output, work past the time limit, a valid document that does not survive being written back out.</summary>
internal static class FuzzOracle
{
    /// <summary>What one input came to: the promises it broke, and what it was (for the run's summary).</summary>
    public sealed record Outcome(List<string> Violations, int Documents, int Valid, TimeSpan Elapsed);

    public static Outcome Check(byte[] input, TimeSpan limit)
    {
        var violations = new List<string>();
        var (documents, valid) = (0, 0);
        var watch = Stopwatch.StartNew();
        try
        {
            foreach (var document in ManifestParser.Parse(input))
            {
                documents++;
                foreach (var error in document.Errors)
                {
                    // Reading errors name the place by line and column; validation errors by field path.
                    if (!error.Reason.StartsWith("line ", StringComparison.Ordinal)) violations.Add($"reading error without a line: {error}");
                    CheckText(error.Reason, "reading error", violations);
                }
                if (document.Root is null)
                {
                    if (document.Errors.Count == 0) violations.Add($"document {document.Index}: neither a tree nor an error");
                    continue;
                }
                var result = ResourceValidator.Validate(document.Root, "default", document.Index);
                CheckText(result.DisplayName, "display name", violations);
                if (result.IsValid != (result.Errors.Count == 0) || result.IsValid != (result.Resource is not null))
                {
                    violations.Add($"{result.DisplayName}: IsValid {result.IsValid} with {result.Errors.Count} errors");
                }
                foreach (var error in result.Errors)
                {
                    if (string.IsNullOrEmpty(error.Path)) violations.Add($"{result.DisplayName}: refusal without a field path: {error.Reason}");
                    if (string.IsNullOrWhiteSpace(error.Reason)) violations.Add($"{result.DisplayName}: refusal without a reason at {error.Path}");
                    CheckText(error.Path, "field path", violations);
                    CheckText(error.Reason, "reason", violations);
                }
                if (!result.IsValid) continue;
                valid++;
                CheckRoundTrip(document.Root, violations);
            }
        }
        catch (Exception e)
        {
            violations.Add($"exception escaped: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        watch.Stop();
        if (watch.Elapsed > limit) violations.Add($"took {watch.Elapsed.TotalMilliseconds:F0} ms for {input.Length} bytes (limit {limit.TotalMilliseconds:F0} ms)");
        return new Outcome(violations, documents, valid, watch.Elapsed);
    }

    /// <summary>What meshctl prints and the audit stores comes from these strings: no control or invisible character,
    /// and bounded in length.</summary>
    private static void CheckText(string text, string what, List<string> violations)
    {
        if (text.Any(Mesh.Config.Text.UntrustedText.IsHidden)) violations.Add($"{what} holds a control or invisible character: {Names.Short(text, 200)}");
        if (text.Length > 4096) violations.Add($"{what} is {text.Length} characters long");
    }

    /// <summary>A valid document written back out as YAML reads back to the same tree, and is still valid.</summary>
    private static void CheckRoundTrip(JsonObject root, List<string> violations)
    {
        var yaml = ManifestWriter.ToYaml([root]);
        var again = ManifestParser.Parse(yaml, new ManifestLimits { MaxManifestBytes = int.MaxValue, MaxDocumentBytes = int.MaxValue });
        if (again.Count != 1 || again[0].Root is not { } reread)
        {
            violations.Add($"round trip: {again.Count} documents, errors {string.Join("; ", again.SelectMany(d => d.Errors))}");
            return;
        }
        if (!JsonNode.DeepEquals(root, reread)) violations.Add($"round trip changed the document:\n{Names.Short(yaml, 400)}");
        else if (!ResourceValidator.Validate(reread).IsValid) violations.Add("round trip: valid before, invalid after");
    }
}

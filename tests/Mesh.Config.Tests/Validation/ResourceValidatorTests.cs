using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.Validation;

public class ResourceValidatorTests
{
    public static TheoryData<string> ValidDocuments => Documents.Data("valid");
    public static TheoryData<string> InvalidDocuments => Documents.Data("invalid");

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Validate_ValidDocument_HasNoErrors(string file)
    {
        foreach (var result in ValidateAll(Documents.Read("valid", file)))
        {
            Assert.True(result.IsValid, $"{file}: {string.Join("; ", result.Errors)}");
            Assert.NotNull(result.Resource);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Validate_InvalidDocument_ReportsTheExpectedError(string file)
    {
        var text = Documents.Read("invalid", file);
        var firstLine = text.Split('\n')[0];
        Assert.StartsWith("# expect: ", firstLine);
        var expected = firstLine["# expect: ".Length..].Trim();
        var colon = expected.IndexOf(": ", StringComparison.Ordinal);
        var (path, reason) = colon < 0 ? ("", expected) : (expected[..colon], expected[(colon + 2)..]);

        var errors = ValidateAll(text).SelectMany(r => r.Errors).ToList();
        Assert.True(errors.Any(e => e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal)),
            $"{file}: expected \"{path}: {reason}\" among: {string.Join(" | ", errors)}");
    }

    internal static List<ValidationResult> ValidateAll(string text)
    {
        var results = new List<ValidationResult>();
        foreach (var document in ManifestParser.Parse(text))
        {
            results.Add(document.Root is { } root
                ? ResourceValidator.Validate(root, "default", document.Index)
                : new ValidationResult(null, document.Errors) { DisplayName = $"document {document.Index + 1}" });
        }
        Assert.NotEmpty(results);
        return results;
    }
}

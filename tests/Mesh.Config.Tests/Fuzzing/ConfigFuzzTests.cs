using System.Text;
using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Xunit.Abstractions;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>Fuzzes the manifest reader and the validator with documents generated from the schemas, and the valid
/// sample documents, mutated in tree and text. Seeded: iteration i of a seed is always the same input. The suite runs
/// a short run; bench/fuzz/run-config-fuzz.sh a long one (see FuzzSettings).</summary>
public class ConfigFuzzTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<ResourceKind> Kinds = [.. ResourceKinds.All];

    [Fact]
    public void Generator_MakesValidDocumentsOfEveryKind()
    {
        var failures = new List<string>();
        foreach (var kind in Kinds)
        {
            var generator = new DocumentGenerator(new Random(kind.Kind.Length));
            var valid = Enumerable.Range(0, 10).Count(i => ResourceValidator.Validate(generator.Document(kind, i)).IsValid);
            if (valid < 8) failures.Add($"{kind.Kind}: {valid} of 10 generated documents are valid");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void ManifestReaderAndValidator_KeepTheirPromisesOnMutatedManifests()
    {
        var settings = FuzzSettings.FromEnvironment();
        var samples = Documents.Names("valid").Select(name => ManifestParser.Parse(Documents.Read("valid", name)))
            .SelectMany(documents => documents).Select(d => d.Root).OfType<JsonObject>().ToList();
        var failures = new List<string>();
        var started = DateTime.UtcNow;
        var (done, documents, valid, slowest, slowestInput) = (0, 0, 0, TimeSpan.Zero, "");
        for (var i = 0; i < settings.Iterations && DateTime.UtcNow - started < settings.Budget && failures.Count < 20; i++, done++)
        {
            var (input, description) = Input(settings.Seed, i, samples);
            var outcome = FuzzOracle.Check(input, settings.LimitFor(input.Length));
            (documents, valid) = (documents + outcome.Documents, valid + outcome.Valid);
            if (outcome.Elapsed > slowest) (slowest, slowestInput) = (outcome.Elapsed, $"iteration {i}, {description}");
            foreach (var violation in outcome.Violations)
            {
                failures.Add($"seed {settings.Seed} iteration {i} ({description}): {violation}");
                Save(settings, i, input);
            }
        }
        output.WriteLine($"{done} inputs in {(DateTime.UtcNow - started).TotalSeconds:F1} s, seed {settings.Seed}: {documents} documents read " +
                         $"({valid} valid, {documents - valid} refused), slowest input {slowest.TotalMilliseconds:F0} ms ({slowestInput}), {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>Input <paramref name="iteration"/> of <paramref name="seed"/>: a generated or sample document, maybe
    /// mutated as a tree and then as text, written as YAML or JSON.</summary>
    internal static (byte[] Input, string Description) Input(int seed, int iteration, IReadOnlyList<JsonObject> samples)
    {
        var random = new Random(unchecked((seed * 1_000_003) + iteration)); // not HashCode: it differs per process
        var kind = Kinds[iteration % Kinds.Count];
        var document = random.Next(2) == 0 || samples.Count == 0
            ? new DocumentGenerator(random).Document(kind, iteration)
            : (JsonObject)samples[random.Next(samples.Count)].DeepClone();
        var description = $"{document["kind"]}";
        var plan = random.Next(10);
        if (plan >= 2) description += ": " + new TreeMutator(random).Mutate(document);
        var text = random.Next(3) switch
        {
            0 => ManifestWriter.ToJson(document),
            1 => document.ToJsonString(),
            _ => ManifestWriter.ToYaml([document]),
        };
        if (plan < 7) return (Encoding.UTF8.GetBytes(text), description);
        var (bytes, textChange) = new TextMutator(random).Mutate(text);
        return (bytes, $"{description}; {textChange}");
    }

    private static void Save(FuzzSettings settings, int iteration, byte[] input)
    {
        if (settings.OutputFolder is null) return;
        Directory.CreateDirectory(settings.OutputFolder);
        File.WriteAllBytes(Path.Combine(settings.OutputFolder, $"seed{settings.Seed}-iteration{iteration}.input"), input);
    }
}

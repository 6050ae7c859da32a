using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.Validation;

public class ReferenceCheckerTests
{
    private sealed class ManifestLookup(IReadOnlyList<Resource> resources) : IConfigLookup
    {
        public ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<IReadOnlyList<Resource>>(
                resources.Where(r => r.Kind.Kind == kind && (@namespace is null || r.Metadata.Namespace == @namespace)).ToList());
    }

    private static List<Resource> Load(string yaml)
        => ManifestParser.Parse(yaml).Select(d => ResourceValidator.Validate(d.Root!, "bookinfo", d.Index))
            .Select(r => r.Resource ?? throw new InvalidOperationException(string.Join("; ", r.Errors))).ToList();

    private static readonly string Rule = Documents.Read("valid", "bookinfo-destinationrule-reviews.yaml");

    [Fact]
    public async Task ShortHost_MatchesDestinationRuleWithFullName()
    {
        var resources = Load(Rule.Replace("host: reviews", "host: reviews.bookinfo.svc.cluster.local") + "---\n" + Documents.Read("valid", "bookinfo-reviews-vs-90-10.yaml"));
        var warnings = await ReferenceChecker.CheckAsync(resources[1], new ManifestLookup(resources));
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task UndefinedSubset_IsAWarning()
    {
        var resources = Load(Rule.Replace("name: v2", "name: v2-old") + "---\n" + Documents.Read("valid", "bookinfo-reviews-vs-90-10.yaml"));
        var warning = Assert.Single(await ReferenceChecker.CheckAsync(resources[1], new ManifestLookup(resources)));
        Assert.Equal("spec.http[0].route[1].destination.subset", warning.Path);
        Assert.Contains("subset \"v2\" is not defined by any DestinationRule for host \"reviews.bookinfo.svc.cluster.local\"", warning.Reason);
    }

    [Fact]
    public async Task UndeclaredHost_IsAWarning()
    {
        var resources = Load(Documents.Read("valid", "request-timeouts.yaml"));
        var warnings = await ReferenceChecker.CheckAsync(resources[0], new ManifestLookup(resources));
        Assert.Contains(warnings, w => w.Path == "spec.http[0].route[0].destination.host" && w.Reason.Contains("not declared"));
        Assert.Contains(warnings, w => w.Path == "spec.http[0].route[0].destination.subset");
    }

    [Fact]
    public async Task ServiceEntryHost_AndMirror_AreChecked()
    {
        var resources = Load(Documents.Read("valid", "serviceentry-external-https.yaml") + "---\n" + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: httpbin
            spec:
              hosts: [httpbin.org]
              http:
              - route:
                - destination:
                    host: httpbin.org
                mirror:
                  host: shadow.example.com
            """);
        var warning = Assert.Single(await ReferenceChecker.CheckAsync(resources[1], new ManifestLookup(resources)));
        Assert.Equal("spec.http[0].mirror.host", warning.Path);
    }
}

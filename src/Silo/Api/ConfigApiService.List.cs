using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Selection;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    /// <summary>Kubernetes' list: selectors, <c>limit</c> and <c>continue</c>, answered from the per-namespace
    /// indexes (a grain call per namespace, none per resource).</summary>
    public override async Task<ListResponse> List(ListRequest request, ServerCallContext context)
    {
        var kind = ResolveKind(request.Kind);
        var ns = string.IsNullOrEmpty(request.Namespace) ? null : kind.StoredNamespace(RequireNamespace(request.Namespace));
        Selector("label", () => LabelSelector.Parse(request.LabelSelector));
        var fields = Selector("field", () => FieldSelector.Parse(request.FieldSelector));
        if (fields.OnlyNamespace is { } only && ns is null) RequireNamespace(only);
        if (request.Limit < 0) throw ApiErrors.Invalid($"limit {request.Limit} is negative; use 0 (or none) for every item");
        ContinueToken? resume = null;
        if (!string.IsNullOrEmpty(request.Continue))
        {
            resume = ContinueToken.Decode(request.Continue) ?? throw ApiErrors.Invalid("continue token is not one this server issued; list again from the start");
            if (resume.Kind != kind.Kind || resume.Scope != (ns ?? ""))
            {
                throw ApiErrors.Invalid($"continue token belongs to a list of {resume.Kind} in {(resume.Scope == "" ? "all namespaces" : $"namespace {resume.Scope}")}, not this one");
            }
        }

        var query = new ListQuery
        {
            Limit = request.Limit == 0 ? ListQuery.Unlimited : request.Limit,
            LabelSelector = request.LabelSelector,
            FieldSelector = request.FieldSelector,
        };
        var page = await catalog.Page(kind.Kind, ns, query, resume is null ? null : (resume.Namespace, resume.Name));
        var response = new ListResponse { Metadata = new ListMeta() };
        response.Items.Add(page.Items.Select(ResourceMapper.ToApi));
        if (page.Remaining > 0 && page.Items.Count > 0)
        {
            var last = page.Items[^1];
            response.Metadata.Continue = new ContinueToken(kind.Kind, ns ?? "", last.Namespace, last.Name).Encode();
            response.Metadata.RemainingItemCount = page.Remaining;
        }
        return response;
    }

    private static T Selector<T>(string which, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (SelectorException exception)
        {
            throw ApiErrors.Invalid($"invalid {which} {exception.Message}");
        }
    }
}

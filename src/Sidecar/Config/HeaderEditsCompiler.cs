// The legacy append flag is still sent by control planes and must be honoured.
#pragma warning disable CS0612, CS0618
using Envoy.Config.Core.V3;
using Mesh.Config.Validation.Rules;

namespace Mesh.Sidecar.Config;

/// <summary>Header edits (virtual host, route or weighted cluster level) and header-bound text (rewrites, redirects)
/// from xDS, checked against Envoy's HTTP_HEADER_NAME / HTTP_HEADER_VALUE rules as the validator spells them
/// (<see cref="Http"/>, so what the control plane stores is what the sidecar accepts; values ASCII, the only ones
/// Kestrel and HttpClient send), so that a config that could split or inject a header is an error with its field
/// path, and the last good config stays.</summary>
internal static class HeaderEditsCompiler
{
    /// <summary>Text that ends up in a header or the request line (rewrites, redirects): Envoy's HTTP_HEADER_VALUE.</summary>
    public static void Text(string? text, string where, List<string> errors)
    {
        if (text is { Length: > 0 } && Http.PlainHeaderValue(text) is { } problem) errors.Add($"{where}: {problem}");
    }

    /// <summary>Header edits at one level; a name or value that could split or inject a header is an error
    /// (<see cref="Http"/>), so such a config is NACKed and the last good one stays.</summary>
    public static HeaderEdits Compile(
        IList<HeaderValueOption> requestAdd, IList<string> requestRemove,
        IList<HeaderValueOption> responseAdd, IList<string> responseRemove, string where, List<string> errors)
    {
        static HeaderEdit Edit(HeaderValueOption option) => new(option.Header.Key.ToLowerInvariant(), option.Header.Value,
            option.Append is { } legacy
                ? legacy ? HeaderAppend.AppendOrAdd : HeaderAppend.OverwriteOrAdd
                : option.AppendAction switch
                {
                    HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent => HeaderAppend.AddIfAbsent,
                    HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd => HeaderAppend.OverwriteOrAdd,
                    HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists => HeaderAppend.OverwriteIfExists,
                    _ => HeaderAppend.AppendOrAdd,
                });
        void CheckAdds(IList<HeaderValueOption> options, string field)
        {
            for (var i = 0; i < options.Count; i++)
            {
                var header = options[i].Header;
                if (header is null)
                {
                    errors.Add($"{where}.{field}[{i}].header: is required");
                    continue;
                }
                if (Http.WritableHeaderName(header.Key) is { } name) errors.Add($"{where}.{field}[{i}].header.key: {name}");
                if (Http.PlainHeaderValue(header.Value) is { } value) errors.Add($"{where}.{field}[{i}].header.value: {value}");
            }
        }
        void CheckRemoves(IList<string> names, string field)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (Http.WritableHeaderName(names[i]) is { } name) errors.Add($"{where}.{field}[{i}]: {name}");
            }
        }
        var before = errors.Count;
        CheckAdds(requestAdd, "request_headers_to_add");
        CheckRemoves(requestRemove, "request_headers_to_remove");
        CheckAdds(responseAdd, "response_headers_to_add");
        CheckRemoves(responseRemove, "response_headers_to_remove");
        if (errors.Count > before) return HeaderEdits.None;
        var edits = new HeaderEdits([.. requestAdd.Select(Edit)], [.. requestRemove.Select(h => h.ToLowerInvariant())],
            [.. responseAdd.Select(Edit)], [.. responseRemove.Select(h => h.ToLowerInvariant())]);
        return edits.IsEmpty ? HeaderEdits.None : edits;
    }
}

using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Cli.Client;
using Mesh.Cli.Input;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary>How <c>meshctl get</c> pages a list, as kubectl does: pages of <c>--chunk-size</c> (500) followed
/// through <c>continue</c> until the end, or at most <c>--limit</c> items, with the token that resumes after them.</summary>
public sealed record ListPaging(Option<int> Limit, Option<int> ChunkSize, Option<string> Continue)
{
    public const int DefaultChunkSize = 500;

    public static ListPaging Options() => new(
        new Option<int>("--limit") { Description = "at most this many items; prints the --continue token for the rest" },
        new Option<int>("--chunk-size") { Description = $"items per request while listing (default {DefaultChunkSize}; 0: all in one)", DefaultValueFactory = _ => DefaultChunkSize },
        new Option<string>("--continue") { Description = "resume a list after the items a previous --limit printed" });

    public async Task<List<ConfigResource>> Read(ParseResult parse, MeshConnection connection, ListRequest request, CancellationToken cancellationToken)
    {
        var limit = parse.GetValue(Limit);
        var chunk = parse.GetValue(ChunkSize);
        if (limit < 0) throw new UsageException("--limit must not be negative");
        if (chunk < 0) throw new UsageException("--chunk-size must not be negative");
        request.Continue = parse.GetValue(Continue) ?? "";
        var items = new List<ConfigResource>();
        while (true)
        {
            var wanted = limit == 0 ? chunk : chunk == 0 ? limit - items.Count : Math.Min(chunk, limit - items.Count);
            request.Limit = wanted;
            var page = await connection.Api.ListAsync(request, connection.Call(cancellationToken));
            items.AddRange(page.Items);
            var next = page.Metadata?.Continue ?? "";
            if (next.Length == 0) return items;
            if (limit > 0 && items.Count >= limit)
            {
                await Console.Error.WriteLineAsync(TerminalText.Of(
                    $"{page.Metadata!.RemainingItemCount} more; continue with --continue {next}"));
                return items;
            }
            request.Continue = next;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Mesh.Samples.Bookinfo;

/// <summary>productpage: asks reviews for book 0 and says, in one line, which versions served the page
/// (<c>productpage v1 -> reviews v2 (black stars) -> ratings v1</c>), then <c>reviews-version: v2</c> on a line of its
/// own for scripts to count. <c>?format=json</c> returns the same as JSON.</summary>
public static class ProductPageEndpoints
{
    public static void MapProductPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Page);
        app.MapGet("/productpage", Page);
    }

    private static async Task<IResult> Page(HttpRequest request, BookinfoOptions options, Downstream downstream, CancellationToken cancellation)
    {
        var reviews = await downstream.GetJsonAsync("reviews", $"{downstream.ReviewsUrl}/reviews/0", request, cancellation);
        var reviewsVersion = reviews.Body?["version"]?.GetValue<string>();
        if (string.Equals(request.Query["format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new JsonObject
            {
                ["productpage"] = options.Version,
                ["reviewsVersion"] = reviewsVersion,
                ["reviews"] = reviews.Body?.DeepClone(),
                ["error"] = reviews.Body is null ? reviews.Problem : null,
            });
        }
        var page = new StringBuilder($"productpage {options.Version} -> ");
        if (reviews.Body is null)
        {
            page.Append(reviews.Problem).Append('\n');
            return Results.Text(page.ToString(), "text/plain");
        }
        page.Append($"reviews {reviewsVersion}");
        page.Append(reviews.Body["ratings"] switch
        {
            null => " (no stars)",
            JsonObject { } ratings when ratings["error"] is { } error => $" ({error.GetValue<string>()})",
            JsonObject ratings => $" ({StarColor(reviews.Body)} stars) -> ratings {ratings["version"]?.GetValue<string>() ?? "?"}",
            _ => "",
        });
        page.Append($"\nreviews-version: {reviewsVersion}\n");
        return Results.Text(page.ToString(), "text/plain");
    }

    private static string StarColor(JsonObject reviews) =>
        reviews["reviews"]?.AsArray().Select(r => r?["rating"]?["color"]?.GetValue<string>()).FirstOrDefault(c => c is not null) ?? "no";
}

using System.Text.Json.Nodes;

namespace Mesh.Samples.Bookinfo;

/// <summary>reviews: two reviews; v1 without ratings, v2 with black stars, v3 with red ones (both ask ratings).</summary>
public static class ReviewsEndpoints
{
    private static readonly (string Reviewer, string Text)[] Texts =
    [
        ("Reviewer1", "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"),
        ("Reviewer2", "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."),
    ];

    public static void MapReviews(this IEndpointRouteBuilder app) =>
        app.MapGet("/reviews/{id:int}", async (int id, HttpRequest request, BookinfoOptions options, Downstream downstream, CancellationToken cancellation) =>
        {
            var json = new JsonObject
            {
                ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["podname"] = Environment.GetEnvironmentVariable("HOSTNAME") ?? $"{options.Service}-{options.Version}",
                ["clustername"] = "null",
                ["version"] = options.Version,
            };
            DownstreamResult? ratings = null;
            if (options.Version != "v1")
            {
                ratings = await downstream.GetJsonAsync("ratings", $"{downstream.RatingsUrl}/ratings/{id}", request, cancellation);
                json["ratings"] = ratings.Body is null
                    ? new JsonObject { ["error"] = ratings.Problem }
                    : new JsonObject { ["version"] = ratings.Version };
            }
            var color = options.Version == "v3" ? "red" : "black";
            var reviews = new JsonArray();
            foreach (var (reviewer, text) in Texts)
            {
                var review = new JsonObject { ["reviewer"] = reviewer, ["text"] = text };
                if (ratings is not null)
                {
                    review["rating"] = ratings.Body?["ratings"]?[reviewer] is { } stars
                        ? new JsonObject { ["stars"] = stars.DeepClone(), ["color"] = color }
                        : new JsonObject { ["error"] = "Ratings service is currently unavailable" };
                }
                reviews.Add(review);
            }
            json["reviews"] = reviews;
            return Results.Json(json);
        });
}

namespace Mesh.Samples.Bookinfo;

/// <summary>ratings: the same two ratings for every book.</summary>
public static class RatingsEndpoints
{
    public static void MapRatings(this IEndpointRouteBuilder app) =>
        app.MapGet("/ratings/{id:int}", (int id) =>
            Results.Json(new { id, ratings = new Dictionary<string, int> { ["Reviewer1"] = 5, ["Reviewer2"] = 4 } }));
}

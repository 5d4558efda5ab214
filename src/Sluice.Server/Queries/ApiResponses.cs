namespace Sluice.Server.Queries;

/// <summary>How a paged answer stands: the page given, its size, and how many items there are in all.</summary>
/// <param name="Page">The page, from 1.</param>
/// <param name="PageSize">Items per page.</param>
/// <param name="Total">Items on every page together.</param>
public sealed record Pagination(int Page, int PageSize, long Total);

/// <summary>How an answer was made.</summary>
/// <param name="Cache">"hit" when it came from the cache, "miss" when it was computed now, "off" when the cache is disabled.</param>
/// <param name="DataVersion">The warehouse's data version it reflects; it changes with every sync and build.</param>
/// <param name="QueryMs">Milliseconds the warehouse took to compute it.</param>
public sealed record ResponseMeta(string Cache, string DataVersion, double QueryMs);

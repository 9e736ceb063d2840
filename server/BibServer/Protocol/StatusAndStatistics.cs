using System.Collections.Immutable;

namespace BibServer.Protocol;

/// <summary>The params of the server's <c>bibserver/status</c> notification: what the client's status bar shows.</summary>
internal sealed record BibServerStatus(int Papers, int Problems, bool Indexing, int Libraries);

/// <summary>One row of <c>bibserver/libraryStats</c>.</summary>
internal sealed record LibraryStats(string Path, string Format, int Papers, int Problems, string? Detail = null);

/// <summary>The answer to <c>bibserver/libraryStats</c>: each workspace library, and the merged totals.</summary>
internal sealed record LibraryStatsResult(ImmutableArray<LibraryStats> Libraries, int Papers, int Problems, string Source);

/// <summary>The params of <c>bibserver/papersNotCited</c>: <c>library</c> (the default) or <c>title</c> order.</summary>
internal sealed record PapersNotCitedParams(string? Sort = null);

/// <summary>A paper of the workspace's libraries that no note cites, and where its entry is.</summary>
internal sealed record UncitedPaper(string Key, string Title, string Authors, Location Location, int? Year = null);

/// <summary>The answer to <c>bibserver/papersNotCited</c>, with the number of papers of the workspace's libraries.</summary>
internal sealed record PapersNotCitedResult(ImmutableArray<UncitedPaper> Papers, int Total);

/// <summary>The params of <c>bibserver/annotatedBibliography</c>: a note's URI, or none for every note.</summary>
internal sealed record AnnotatedBibliographyParams(string? Uri = null);

/// <summary>The annotated bibliography's Markdown, how many papers it lists, from how many notes.</summary>
internal sealed record AnnotatedBibliographyResult(string Markdown, int Papers, int Notes);

using System.Collections.Immutable;

namespace BibServer.Protocol;

/// <summary>The params of the server's <c>bibserver/status</c> notification: what the client's status bar shows.</summary>
internal sealed record BibServerStatus(int Papers, int Problems, bool Indexing, int Libraries);

/// <summary>One row of <c>bibserver/libraryStats</c>.</summary>
internal sealed record LibraryStats(string Path, string Format, int Papers, int Problems);

/// <summary>The answer to <c>bibserver/libraryStats</c>: each workspace library, and the merged totals.</summary>
internal sealed record LibraryStatsResult(ImmutableArray<LibraryStats> Libraries, int Papers, int Problems, string Source);

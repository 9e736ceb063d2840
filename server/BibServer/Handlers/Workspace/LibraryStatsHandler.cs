using BibServer.Server;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary><c>bibserver/libraryStats</c>: papers and problems per library, for the client's statistics command.</summary>
internal static class LibraryStatsHandler
{
    public static void Register(LspRouter router) =>
        router.Request<System.Text.Json.JsonElement?, LSP.LibraryStatsResult>("bibserver/libraryStats",
            (context, _, _) => LibraryStatistics.Of(context.Snapshot));
}

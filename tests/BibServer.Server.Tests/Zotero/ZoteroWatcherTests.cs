using BibServer.Core.Tests.Zotero;
using BibServer.Loading;
using Microsoft.Extensions.Logging.Abstractions;

namespace BibServer.Server.Tests.Zotero;

/// <summary>
/// A Zotero database is read before it is watched, so a write in between makes no file event. The watcher, as it
/// starts watching, compares the database's and its log's time stamps with the moment the read began. The stamps
/// are set on the files here, so the test needs no clock and no waiting.
/// </summary>
public sealed class ZoteroWatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-zotero-watch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Database(string name, bool wal)
    {
        var path = Path.Combine(_dir, name, "zotero.sqlite");
        using (var zotero = ZoteroDatabase.Create(path, wal: wal)) zotero.AddItem("journalArticle", "A Paper", [new("Ada", "Lovelace")]);
        return path;
    }

    [Fact]
    public void A_database_or_log_written_after_its_read_began_is_read_again_when_the_watch_starts_and_one_written_before_is_not()
    {
        var readBegan = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var untouched = Database("untouched", wal: false);
        var written = Database("written", wal: false);
        var logged = Database("logged", wal: true);
        foreach (var db in new[] { untouched, written, logged })
            foreach (var file in new[] { db, db + "-wal", db + "-shm" }.Where(File.Exists))
                File.SetLastWriteTimeUtc(file, readBegan.AddMinutes(-5));
        // One write to the database itself after the read began, one only to another's log (Zotero's usual write).
        File.SetLastWriteTimeUtc(written, readBegan.AddSeconds(1));
        // Closing the last connection folded the log into the database; Zotero, which keeps its open, leaves one.
        if (!File.Exists(logged + "-wal")) File.WriteAllBytes(logged + "-wal", []);
        File.SetLastWriteTimeUtc(logged + "-wal", readBegan.AddSeconds(1));

        var handedOn = new List<string>();
        using var watcher = new ZoteroWatcher(changed => { lock (handedOn) handedOn.AddRange(changed); }, TimeSpan.FromHours(1), NullLogger.Instance);
        var missed = watcher.Watch([untouched, written, logged], readBegan);

        Assert.Equal(new[] { logged, written }.Order(StringComparer.Ordinal), missed);
        // Databases already watched are not compared again: their writes come as events.
        Assert.Empty(watcher.Watch([untouched, written, logged, Database("later", wal: false)], readBegan.AddYears(10)));
    }
}

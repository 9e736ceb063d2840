using System.Collections.Concurrent;
using System.Collections.Immutable;
using BibServer.Core.Workspace;

namespace BibServer.Loading;

/// <summary>
/// The workspace's library files read ahead, from initialize on, while client and server exchange
/// initialized, progress and file-watching messages: reading and decoding a 150 MB library takes a fifth of a
/// second that the first load then does not wait for. One thread, so the other cores answer the client. Only
/// the files named by bibserver.yaml or the settings (discovery reads every file anyway); a file that changed
/// since it was read ahead is read again.
/// </summary>
internal sealed class LibraryPrefetch
{
    private readonly ConcurrentDictionary<string, (string Text, long Length, DateTime Written)> _texts = new(StringComparer.Ordinal);
    private readonly Task _reading;

    public LibraryPrefetch(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries)
    {
        _reading = Task.Run(() =>
        {
            foreach (var root in roots)
            {
                var config = WorkspaceLoader.ReadFile(Path.Combine(Path.GetFullPath(root), WorkspaceConfig.FileName)) is { } text ? WorkspaceConfig.Parse(text) : null;
                var patterns = config?.Libraries ?? settingsLibraries;
                if (patterns.IsDefaultOrEmpty) continue;
                foreach (var path in WorkspaceFiles.Expand(Path.GetFullPath(root), patterns))
                {
                    var before = Stamp(path);
                    if (before is null || WorkspaceLoader.ReadFile(path) is not { } library) continue;
                    if (Stamp(path) == before) _texts[path] = (library, before.Value.Length, before.Value.Written);
                }
            }
        });
    }

    /// <summary>A file's text as read ahead (waiting for the reading if it is under way), or as it is on disk now.</summary>
    public string? Read(string path)
    {
        try
        {
            _reading.Wait();
        }
        catch (AggregateException)
        {
            // Reading ahead failed (a bad bibserver.yaml, a vanished folder): the load reads and reports for itself.
        }
        if (_texts.TryRemove(path, out var ahead) && Stamp(path) == (ahead.Length, ahead.Written)) return ahead.Text;
        return WorkspaceLoader.ReadFile(path);
    }

    private static (long Length, DateTime Written)? Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

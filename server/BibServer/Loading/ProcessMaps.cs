using System.Globalization;

namespace BibServer.Loading;

/// <summary>
/// The process's mappings, as Linux lists them in <c>/proc/self/maps</c> ("start-end perms offset dev inode path"), or
/// in <c>/proc/self/smaps</c> with each mapping's <c>VmFlags</c>.
/// </summary>
internal static class ProcessMaps
{
    /// <summary>One mapping: its range, permissions ("rw-p"), path (empty for an anonymous mapping) and, from smaps, its flags.</summary>
    public readonly record struct Mapping(long Start, long End, string Permissions, string Path, string Flags = "")
    {
        /// <summary>Whether its VmFlags hold this two-letter flag ("dd": not dumped; "hg": huge pages advised).</summary>
        public bool HasFlag(string flag) => (" " + Flags + " ").Contains($" {flag} ", StringComparison.Ordinal);
    }

    private static IEnumerable<Mapping> Read(bool withFlags)
    {
        Mapping? current = null;
        foreach (var line in File.ReadLines(withFlags ? "/proc/self/smaps" : "/proc/self/maps"))
        {
            if (Header(line) is { } header)
            {
                if (current is { } previous) yield return previous;
                current = header;
            }
            else if (current is { } mapping && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                current = mapping with { Flags = line["VmFlags:".Length..].Trim() };
            }
        }
        if (current is { } last) yield return last;
    }

    /// <summary>A mapping's first line, or null for smaps' other lines ("Rss:  4 kB").</summary>
    private static Mapping? Header(string line)
    {
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        if (dash <= 0 || space < dash || !long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end)) return null;
        // The path is the sixth field, absent for an anonymous mapping.
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        return new Mapping(start, end, fields.Length > 1 ? fields[1] : "", fields.Length == 6 ? fields[5].Trim() : "");
    }

    /// <summary>The mapping of a file (a path beginning with '/') that holds this address.</summary>
    public static (long Start, long End)? FileMapping(nint address)
    {
        foreach (var m in Read(withFlags: false))
            if (m.Start <= address && address < m.End && m.Path.StartsWith('/')) return (m.Start, m.End);
        return null;
    }

    /// <summary>
    /// The anonymous mapping that holds this address with the anonymous mappings that adjoin it on either side, with
    /// their flags: a range reserved at once and then committed in parts is listed as several mappings, one after the
    /// other (and other mappings may adjoin it: thread stacks, the C library's arenas).
    /// </summary>
    public static IReadOnlyList<Mapping> AnonymousRun(nint address)
    {
        var maps = Read(withFlags: true).ToList();
        var at = maps.FindIndex(m => m.Start <= address && address < m.End);
        if (at < 0 || maps[at].Path.Length > 0) return [];
        var (first, last) = (at, at);
        while (first > 0 && maps[first - 1].Path.Length == 0 && maps[first - 1].End == maps[first].Start) first--;
        while (last + 1 < maps.Count && maps[last + 1].Path.Length == 0 && maps[last + 1].Start == maps[last].End) last++;
        return maps.GetRange(first, last - first + 1);
    }
}

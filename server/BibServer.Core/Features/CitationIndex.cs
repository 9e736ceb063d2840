using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>How often a key is cited: citations in all, and notes that cite it.</summary>
public readonly record struct KeyUse(int Citations, int Notes)
{
    /// <summary>"cited 3 times in 2 notes", "cited once in 1 note", "not cited yet".</summary>
    public string Describe() => Citations == 0
        ? "not cited yet"
        : $"cited {(Citations == 1 ? "once" : $"{Citations} times")} in {Notes} {(Notes == 1 ? "note" : "notes")}";
}

/// <summary>
/// Where each key is cited across every note of the workspace. A keystroke in one note makes a new notes
/// map, so an index over the whole map would be rebuilt on every keystroke; instead each note's citations
/// are grouped by key once per parsed note (memoised beside the immutable NoteDocument), and a question
/// about one key is a dictionary look-up in each note: 2,000 notes cost microseconds, and a keystroke
/// costs only its own note's grouping, the next time it is asked for. Counts of every key at once (for
/// code lens on a library file of thousands of entries) are summed once per notes map.
/// </summary>
internal static class CitationIndex
{
    private static readonly ConditionalWeakTable<NoteDocument, Dictionary<string, Citation[]>> ByNote = new();
    private static readonly ConditionalWeakTable<ImmutableDictionary<string, NoteDocument>, Dictionary<string, KeyUse>> Uses = new();

    /// <summary>A note's citations of paper keys (cross-references left out), grouped by key, in document order.</summary>
    public static IReadOnlyDictionary<string, Citation[]> Of(NoteDocument note) => ByNote.GetValue(note, Group);

    /// <summary>Every citation of a key in every note, by note path and then in document order.</summary>
    public static List<(NoteDocument Note, Citation Citation)> Find(WorkspaceSnapshot snapshot, string key)
    {
        var notes = new List<NoteDocument>();
        foreach (var note in snapshot.Notes.Values)
            if (Of(note).ContainsKey(key)) notes.Add(note);
        notes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var result = new List<(NoteDocument, Citation)>();
        foreach (var note in notes)
            foreach (var c in Of(note)[key]) result.Add((note, c));
        return result;
    }

    public static KeyUse UseOf(WorkspaceSnapshot snapshot, string key) =>
        Uses.GetValue(snapshot.Notes, Sum).GetValueOrDefault(key);

    private static Dictionary<string, Citation[]> Group(NoteDocument note)
    {
        var lists = new Dictionary<string, List<Citation>>(StringComparer.Ordinal);
        foreach (var c in note.Citations)
        {
            if (c.IsCrossReference) continue;
            if (!lists.TryGetValue(c.Key, out var list)) lists[c.Key] = list = [];
            list.Add(c);
        }
        var result = new Dictionary<string, Citation[]>(lists.Count, StringComparer.Ordinal);
        foreach (var (key, list) in lists) result[key] = [.. list];
        return result;
    }

    private static Dictionary<string, KeyUse> Sum(ImmutableDictionary<string, NoteDocument> notes)
    {
        var uses = new Dictionary<string, KeyUse>(StringComparer.Ordinal);
        foreach (var note in notes.Values)
            foreach (var (key, citations) in Of(note))
            {
                var use = uses.GetValueOrDefault(key);
                uses[key] = new KeyUse(use.Citations + citations.Length, use.Notes + 1);
            }
        return uses;
    }
}

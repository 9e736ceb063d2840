using System.Collections.Immutable;
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
/// code lens on a library file of thousands of entries) are summed once per snapshot, by adjusting the counts
/// of the snapshot it was made from when those exist. Both are kept on the objects they describe
/// (<see cref="NoteDocument.Memos"/>, <see cref="WorkspaceSnapshot.Memos"/>): no table outlives them.
/// </summary>
internal static class CitationIndex
{
    private static readonly MemoKey<Dictionary<string, Citation[]>> ByKey = new("citations by key");
    private static readonly MemoKey<Summed> Counts = new("citation counts");

    /// <summary>A note's citations of paper keys (cross-references left out), grouped by key, in document order.</summary>
    public static IReadOnlyDictionary<string, Citation[]> Of(NoteDocument note) => note.Memos.Get(ByKey, note, static n => Group(n));

    /// <summary>Every citation of a key in every note, by note path and then in document order.</summary>
    public static List<(NoteDocument Note, Citation Citation)> Find(WorkspaceSnapshot snapshot, string key)
    {
        var notes = new List<(NoteDocument Note, Citation[] Citations)>();
        var total = 0;
        foreach (var note in snapshot.Notes.Values)
        {
            if (!Of(note).TryGetValue(key, out var citations)) continue;
            notes.Add((note, citations));
            total += citations.Length;
        }
        notes.Sort((a, b) => string.CompareOrdinal(a.Note.Path, b.Note.Path));
        var result = new List<(NoteDocument, Citation)>(total);
        foreach (var (note, citations) in notes)
            foreach (var c in citations) result.Add((note, c));
        return result;
    }

    public static KeyUse UseOf(WorkspaceSnapshot snapshot, string key) => UsesOf(snapshot).GetValueOrDefault(key);

    /// <summary>Every cited key's uses, for a question about every paper at once (coverage): one look-up per paper.</summary>
    public static IReadOnlyDictionary<string, KeyUse> UsesOf(WorkspaceSnapshot snapshot) =>
        snapshot.Memos.Get(Counts, snapshot, static s => Sum(s)).Uses;

    /// <summary>The notes map whose counts were summed last, and those counts, which are never changed once made.</summary>
    private sealed record Summed(ImmutableDictionary<string, NoteDocument> Notes, Dictionary<string, KeyUse> Uses);

    /// <summary>Past this many changed notes, summing every note again is as quick as adjusting the last counts.</summary>
    private const int MaxChangedNotes = 64;

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

    /// <summary>
    /// Every key's uses in a snapshot's notes. Most often the notes differ from those of the snapshot it was made
    /// from by the one note being typed in, so that snapshot's counts (when it made them) are copied and adjusted
    /// for the notes that changed (found by comparing the two maps' notes by reference, a look-up per note);
    /// otherwise every note is summed.
    /// </summary>
    private static Summed Sum(WorkspaceSnapshot snapshot)
    {
        var notes = snapshot.Notes;
        var last = snapshot.Earlier?.Find(Counts);
        // Counts are never changed once made, so a snapshot with the same notes (a library changed) shares them.
        if (last is not null && ReferenceEquals(last.Notes, notes)) return last;
        var uses = last is not null && Adjusted(last, notes) is { } adjusted ? adjusted : SumAll(notes);
        return new Summed(notes, uses);
    }

    private static Dictionary<string, KeyUse> SumAll(ImmutableDictionary<string, NoteDocument> notes)
    {
        var uses = new Dictionary<string, KeyUse>(StringComparer.Ordinal);
        foreach (var note in notes.Values) Add(uses, note, +1);
        return uses;
    }

    private static Dictionary<string, KeyUse>? Adjusted(Summed last, ImmutableDictionary<string, NoteDocument> notes)
    {
        var changed = new List<(NoteDocument? Old, NoteDocument? New)>();
        foreach (var (path, note) in notes)
        {
            var old = last.Notes.GetValueOrDefault(path);
            if (ReferenceEquals(old, note)) continue;
            changed.Add((old, note));
            if (changed.Count > MaxChangedNotes) return null;
        }
        if (last.Notes.Count - (notes.Count - changed.Count(c => c.Old is null)) is var removed and > 0)
        {
            if (removed > MaxChangedNotes) return null;
            foreach (var (path, old) in last.Notes)
                if (!notes.ContainsKey(path)) changed.Add((old, null));
        }
        var uses = new Dictionary<string, KeyUse>(last.Uses, StringComparer.Ordinal);
        foreach (var (old, @new) in changed)
        {
            if (old is not null) Add(uses, old, -1);
            if (@new is not null) Add(uses, @new, +1);
        }
        return uses;
    }

    private static void Add(Dictionary<string, KeyUse> uses, NoteDocument note, int sign)
    {
        foreach (var (key, citations) in Of(note))
        {
            var use = uses.GetValueOrDefault(key);
            var next = new KeyUse(use.Citations + sign * citations.Length, use.Notes + sign);
            if (next.Citations == 0) uses.Remove(key);
            else uses[key] = next;
        }
    }
}

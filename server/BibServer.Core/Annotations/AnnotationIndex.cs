using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Annotations;

/// <summary>A paper's annotations: how many notes speak of it, and their passages, most relevant first.</summary>
public sealed record PaperAnnotations(string Key, int Notes, ImmutableArray<Annotation> Passages)
{
    /// <summary>"You wrote about it in 3 notes", "... in 1 note"; empty when no note speaks of the paper.</summary>
    public string Summary => Notes == 0 ? "" : $"You wrote about it in {Notes} {(Notes == 1 ? "note" : "notes")}";
}

/// <summary>
/// From a key to the passages of the workspace's notes about it. Which notes cite a key comes from each
/// note's citations grouped once per parsed note; a note's passages are found once per parsed note when
/// first asked for (<see cref="Passages"/>); the literature notes of the workspace are gathered once per
/// notes map, a look-up per note. A keystroke therefore costs its own note's work, and no library is read.
/// </summary>
public static class AnnotationIndex
{
    private sealed record LiteratureIndex(LiteratureNoteSettings Settings, Dictionary<string, NoteDocument[]> ByKey);

    private static readonly ConditionalWeakTable<ImmutableDictionary<string, NoteDocument>, LiteratureIndex> Literature = new();

    // A note's key by its path depends on the settings; kept per note so that a new notes map asks each note once.
    private static readonly ConditionalWeakTable<NoteDocument, Tuple<LiteratureNoteSettings, string?>> KeyByNote = new();

    /// <summary>The literature notes about a key, by path.</summary>
    public static NoteDocument[] LiteratureNotesOf(WorkspaceSnapshot snapshot, string key) =>
        LiteratureIndexOf(snapshot).ByKey.GetValueOrDefault(key) ?? [];

    /// <summary>The paper a note is about, if it is a literature note.</summary>
    public static string? LiteratureKeyOf(WorkspaceSnapshot snapshot, NoteDocument note)
    {
        var settings = snapshot.LiteratureNotes;
        if (KeyByNote.TryGetValue(note, out var known) && ReferenceEquals(known.Item1, settings)) return known.Item2;
        var key = LiteratureNotes.KeyOf(note, settings);
        KeyByNote.AddOrUpdate(note, Tuple.Create(settings, key));
        return key;
    }

    /// <summary>
    /// A key's annotations: literature notes first, then the notes that cite it, the most recently written
    /// first (a note never read from disk counts as the newest), each note's passages in document order.
    /// The passage at <paramref name="exclude"/> (the one under the cursor) is left out of the passages but
    /// its note is still counted.
    /// </summary>
    public static PaperAnnotations Of(WorkspaceSnapshot snapshot, string key, FileSpan? exclude = null)
    {
        var literature = LiteratureNotesOf(snapshot, key);
        var passages = ImmutableArray.CreateBuilder<Annotation>();
        var notes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var note in literature)
        {
            notes.Add(note.Path);
            var body = LiteratureNotes.Body(note);
            if (body.IsEmpty) continue;
            var passage = new Annotation(key, note.Path, body, Passages.OneLine(note.Text, body, PassageKind.LiteratureNote), [],
                note.Lines.GetPosition(body.Start).Line + 1, PassageKind.LiteratureNote);
            if (!Excluded(passage, exclude)) passages.Add(passage);
        }
        var citing = new List<(NoteDocument Note, Annotation[] Passages)>();
        foreach (var note in snapshot.Notes.Values)
        {
            if (!CitationIndex.Of(note).ContainsKey(key)) continue;
            var found = Passages.Of(note, key);
            // A literature note's own paper has its whole body as one passage already.
            if (notes.Contains(note.Path)) continue;
            citing.Add((note, found));
        }
        citing.Sort((a, b) =>
        {
            var ta = snapshot.NoteTimes.TryGetValue(a.Note.Path, out var x) ? x : DateTime.MaxValue;
            var tb = snapshot.NoteTimes.TryGetValue(b.Note.Path, out var y) ? y : DateTime.MaxValue;
            var c = tb.CompareTo(ta);
            return c != 0 ? c : string.CompareOrdinal(a.Note.Path, b.Note.Path);
        });
        foreach (var (note, found) in citing)
        {
            notes.Add(note.Path);
            foreach (var p in found)
                if (!Excluded(p, exclude)) passages.Add(p);
        }
        return new PaperAnnotations(key, notes.Count, passages.ToImmutable());
    }

    /// <summary>How many notes speak of a key, without finding their passages: for a hundred completion items at once.</summary>
    public static int NoteCount(WorkspaceSnapshot snapshot, string key)
    {
        var citing = References.UseOf(snapshot, key).Notes;
        foreach (var note in LiteratureNotesOf(snapshot, key))
            if (!CitationIndex.Of(note).ContainsKey(key)) citing++;
        return citing;
    }

    private static bool Excluded(Annotation passage, FileSpan? exclude) =>
        exclude is { } e && e.Path == passage.NotePath && passage.Span.ContainsOrTouches(e.Span.Start);

    private static LiteratureIndex LiteratureIndexOf(WorkspaceSnapshot snapshot)
    {
        var settings = snapshot.LiteratureNotes;
        if (Literature.TryGetValue(snapshot.Notes, out var index) && ReferenceEquals(index.Settings, settings)) return index;
        var lists = new Dictionary<string, List<NoteDocument>>(StringComparer.Ordinal);
        foreach (var note in snapshot.Notes.Values)
        {
            if (LiteratureKeyOf(snapshot, note) is not { } key) continue;
            if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
            list.Add(note);
        }
        var byKey = new Dictionary<string, NoteDocument[]>(lists.Count, StringComparer.Ordinal);
        foreach (var (key, list) in lists) byKey[key] = [.. list.OrderBy(n => n.Path, StringComparer.Ordinal)];
        index = new LiteratureIndex(settings, byKey);
        Literature.AddOrUpdate(snapshot.Notes, index);
        return index;
    }
}

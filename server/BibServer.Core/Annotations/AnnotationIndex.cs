using System.Collections.Immutable;
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
/// snapshot, a look-up per note. Each is kept on the note or snapshot it describes (<c>Memos</c>), never in
/// a static table. A keystroke therefore costs its own note's work, and no library is read.
/// </summary>
public static class AnnotationIndex
{
    private sealed record LiteratureIndex(ImmutableDictionary<string, NoteDocument> Notes, LiteratureNoteSettings Settings, Dictionary<string, NoteDocument[]> ByKey);

    /// <summary>The workspace's literature notes by key, kept on the snapshot (<see cref="WorkspaceSnapshot.Memos"/>).</summary>
    private static readonly MemoKey<LiteratureIndex> Literature = new("literature notes by key");

    /// <summary>
    /// The key a note is about for the settings it was last asked with, kept on the note (<see cref="NoteDocument.Memos"/>):
    /// a note's key by its path depends on the settings, and each new snapshot asks every note once.
    /// </summary>
    private sealed class NoteKey
    {
        public Tuple<LiteratureNoteSettings, string?>? Last;
    }

    private static readonly MemoKey<NoteKey> KeyByNote = new("literature key of a note");

    /// <summary>The literature notes about a key, by path.</summary>
    public static NoteDocument[] LiteratureNotesOf(WorkspaceSnapshot snapshot, string key) =>
        LiteratureIndexOf(snapshot).ByKey.GetValueOrDefault(key) ?? [];

    /// <summary>The paper a note is about, if it is a literature note.</summary>
    public static string? LiteratureKeyOf(WorkspaceSnapshot snapshot, NoteDocument note)
    {
        var settings = snapshot.LiteratureNotes;
        var memo = note.Memos.Get(KeyByNote, 0, static _ => new NoteKey());
        if (Volatile.Read(ref memo.Last) is { } known && ReferenceEquals(known.Item1, settings)) return known.Item2;
        var key = LiteratureNotes.KeyOf(note, settings);
        Volatile.Write(ref memo.Last, Tuple.Create(settings, key));
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

    private static LiteratureIndex LiteratureIndexOf(WorkspaceSnapshot snapshot) =>
        snapshot.Memos.Get(Literature, snapshot, static s => GatherLiterature(s));

    /// <summary>
    /// The literature notes of a snapshot's notes. A snapshot made from one with the same notes and settings (a
    /// library changed, a note's write time came) shares the earlier snapshot's index when that one made it.
    /// </summary>
    private static LiteratureIndex GatherLiterature(WorkspaceSnapshot snapshot)
    {
        var settings = snapshot.LiteratureNotes;
        if (snapshot.Earlier?.Find(Literature) is { } last && ReferenceEquals(last.Notes, snapshot.Notes) && ReferenceEquals(last.Settings, settings))
            return last;
        var lists = new Dictionary<string, List<NoteDocument>>(StringComparer.Ordinal);
        foreach (var note in snapshot.Notes.Values)
        {
            if (LiteratureKeyOf(snapshot, note) is not { } key) continue;
            if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
            list.Add(note);
        }
        var byKey = new Dictionary<string, NoteDocument[]>(lists.Count, StringComparer.Ordinal);
        foreach (var (key, list) in lists) byKey[key] = [.. list.OrderBy(n => n.Path, StringComparer.Ordinal)];
        return new LiteratureIndex(snapshot.Notes, settings, byKey);
    }
}

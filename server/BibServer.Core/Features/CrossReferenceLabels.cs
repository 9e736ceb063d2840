using System.Collections.Immutable;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>
/// The cross-reference labels the workspace's notes define (<c>{#fig-x}</c>, <c>{#sec:intro}</c>, a code
/// cell's <c>label: fig-x</c>), for "no such label" and for definition. Labels are looked up across every
/// note, not only the citing one: a Quarto book refers across chapters, and a thesis written with
/// pandoc-crossref is often split into chapter files that are joined when it is built.
/// </summary>
public static class CrossReferenceLabels
{
    public const string NoSuchLabel = "no-such-label";

    /// <summary>Where labels are defined, by label, and the kinds (per tool chain) that have any label at all.</summary>
    private sealed record Index(
        ImmutableDictionary<string, ImmutableArray<FileSpan>> Labels,
        ImmutableHashSet<(string Kind, CrossReferenceStyle Style)> KindsWithLabels);

    // A note's labels depend on its text alone and are kept on the note; the workspace's index on the set of
    // notes, kept on the snapshot: a keystroke makes a new one, whose index is made again from the notes'
    // kept labels, so an unchanged note is never scanned again.
    private static readonly MemoKey<LabelList> NoteLabels = new("cross-reference labels");
    private static readonly MemoKey<Index> Indexes = new("cross-reference label index");

    private sealed record LabelList(ImmutableArray<(string Label, TextSpan Span)> Items);

    private static ImmutableArray<(string Label, TextSpan Span)> LabelsOf(NoteDocument note) =>
        note.Memos.Get(NoteLabels, note, static n => new LabelList(CrossReferences.LabelsIn(n.Text))).Items;

    private static Index IndexOf(WorkspaceSnapshot snapshot) => snapshot.Memos.Get(Indexes, snapshot.Notes, static notes =>
    {
        var labels = new Dictionary<string, ImmutableArray<FileSpan>.Builder>(StringComparer.Ordinal);
        var kinds = ImmutableHashSet.CreateBuilder<(string, CrossReferenceStyle)>();
        foreach (var note in notes.Values.OrderBy(n => n.Path, StringComparer.Ordinal))
        {
            foreach (var (label, span) in LabelsOf(note))
            {
                if (!labels.TryGetValue(label, out var places)) labels[label] = places = ImmutableArray.CreateBuilder<FileSpan>();
                places.Add(new FileSpan(note.Path, span));
                var key = CrossReferences.Parse(label)!;
                kinds.Add((key.Kind, key.Style));
            }
        }
        return new Index(
            labels.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutable(), StringComparer.Ordinal),
            kinds.ToImmutable());
    });

    /// <summary>Where the label a cross-reference refers to is defined: the citing note's own label first.</summary>
    public static ImmutableArray<FileSpan> DefinitionsOf(WorkspaceSnapshot snapshot, string notePath, string key)
    {
        if (CrossReferences.Parse(key) is not { } reference) return [];
        var places = IndexOf(snapshot).Labels.GetValueOrDefault(reference.Label);
        if (places.IsDefaultOrEmpty) return [];
        return [.. places.OrderBy(p => p.Path == notePath ? 0 : 1)];
    }

    /// <summary>
    /// A cross-reference to a label no note defines, as a warning. Only where the workspace holds labels of
    /// that kind and tool chain: a workspace with no <c>{#sec:...}</c> at all may number its sections
    /// another way (pandoc-crossref's <c>autoSectionLabels</c>, labels made by code), and is not second-guessed.
    /// </summary>
    public static FileDiagnostic? Check(WorkspaceSnapshot snapshot, Citation citation)
    {
        if (CrossReferences.Parse(citation.Key) is not { } reference) return null;
        var index = IndexOf(snapshot);
        if (index.Labels.ContainsKey(reference.Label) || !index.KindsWithLabels.Contains((reference.Kind, reference.Style))) return null;
        var definition = reference.Style == CrossReferenceStyle.Quarto ? $"{{#{reference.Label}}}` or `label: {reference.Label}" : $"{{#{reference.Label}}}";
        return new FileDiagnostic(Severity.Warning,
            $"No such label `{reference.Label}`: no note of this workspace defines `{definition}`.",
            citation.KeySpan, NoSuchLabel, ImmutableArray<string>.Empty);
    }
}

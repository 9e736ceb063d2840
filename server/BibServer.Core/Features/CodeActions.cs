using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>A quick fix: what it is called, the edits it makes, and the diagnostic it fixes (none for a fix offered on any citation).</summary>
public sealed record QuickFix(string Title, ImmutableArray<FileEdit> Edits, FileDiagnostic? Fixes, bool IsPreferred);

/// <summary>
/// Quick fixes for unknown keys: replace the key with one of the closest keys (the ones the diagnostic
/// names), or add a stub entry for it to the note's BibTeX library.
/// </summary>
public static class CodeActions
{
    /// <summary>
    /// The fixes for the unknown-key diagnostics that any of <paramref name="spans"/> touches: the request's
    /// range (a cursor is an empty span) and the ranges of the diagnostics the editor sent with it.
    /// </summary>
    public static ImmutableArray<QuickFix> Find(WorkspaceSnapshot snapshot, string path, IReadOnlyList<TextSpan> spans)
    {
        if (snapshot.Note(path) is not { } note) return [];
        var result = ImmutableArray.CreateBuilder<QuickFix>();
        foreach (var diagnostic in Diagnostics.ForNote(snapshot, note))
        {
            if (diagnostic.Code != DiagnosticCodes.UnknownKey || !spans.Any(s => Touches(s, diagnostic.Span))) continue;
            if (CitationOf(note, diagnostic.Span) is not { } citation) continue;
            var first = true;
            foreach (var key in diagnostic.Suggestions)
            {
                result.Add(new QuickFix($"Replace with `{key}`",
                    [new FileEdit(note.Path, citation.KeySpan, KeyText.InCitation(citation, key))], diagnostic, IsPreferred: first));
                first = false;
            }
            if (Stub(snapshot, note, citation.Key, diagnostic) is { } stub) result.Add(stub);
        }
        foreach (var citation in note.Citations)
        {
            if (citation.IsCrossReference || !spans.Any(s => Touches(s, citation.KeySpan))) continue;
            if (Annotations.LiteratureNoteFix.For(snapshot, note, citation) is { } fix) result.Add(fix);
            break;
        }
        return result.ToImmutable();
    }

    private static bool Touches(TextSpan a, TextSpan b) => a.Start <= b.End && b.Start <= a.End;

    private static Citation? CitationOf(NoteDocument note, TextSpan keySpan)
    {
        foreach (var c in note.Citations)
            if (c.KeySpan == keySpan) return c;
        return null;
    }

    /// <summary>
    /// "Add a stub entry": into the first library the note names in <c>bibliography:</c> that exists, else the
    /// first of the workspace's libraries, whose format writes stubs (BibTeX); none when there is no such file
    /// or its format cannot hold the key.
    /// </summary>
    private static QuickFix? Stub(WorkspaceSnapshot snapshot, NoteDocument note, string key, FileDiagnostic diagnostic)
    {
        var libraries = snapshot.Libraries;
        foreach (var path in snapshot.BibliographyOf(note).Concat(libraries.WorkspaceLibraries))
        {
            // The stub goes at the end, so only how the file ends matters (a large library keeps no string of its text).
            if (libraries.Document(path) is not { } target || target.Format.StubEntry(target.Tail(2), key) is not { } entry) continue;
            return new QuickFix($"Add a stub entry for `{key}` to `{Path.GetFileName(target.Path)}`",
                [new FileEdit(target.Path, new TextSpan(target.TextLength, 0), entry)], diagnostic, IsPreferred: false);
        }
        return null;
    }
}

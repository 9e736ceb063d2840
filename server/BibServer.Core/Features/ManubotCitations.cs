using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Libraries.Manubot;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>
/// Citations of persistent identifiers and tags, as Manubot manuscripts write them (<c>@doi:10.1371/...</c>,
/// <c>@arxiv:1512.03385</c>, <c>@tag:name</c>). They are asked about only when no library of the note has
/// the key (a manual reference with the identifier as its id wins): a well-formed identifier is no problem,
/// since Manubot resolves it at build time; a malformed one is a warning; a tag that
/// <c>content/citation-tags.tsv</c> does not define is an error, as Manubot stops on it.
/// </summary>
public static class ManubotCitations
{
    public const string IdentifierCode = "manubot-identifier";
    public const string TagCode = "manubot-tag";

    /// <summary>
    /// Whether an unknown key is a Manubot citation (then the caller reports no unknown key), and its problem if
    /// it has one.
    /// </summary>
    public static bool Check(WorkspaceSnapshot snapshot, NoteDocument note, Citation citation, out FileDiagnostic? problem)
    {
        problem = null;
        if (ManubotIdentifier.Parse(citation.Key) is not { } id) return false;
        if (id.Problem is { } why)
        {
            problem = new FileDiagnostic(Severity.Warning, $"`{citation.Key}` is not {id.Kind}: {why}. Manubot cannot resolve it.",
                citation.KeySpan, IdentifierCode, ImmutableArray<string>.Empty);
            return true;
        }
        if (id.Prefix == "tag" && TagOf(snapshot, note.Path, id) is null)
        {
            var manuscript = snapshot.Libraries.ManuscriptOf(note.Path);
            var where = manuscript?.TagsPath is { } tags ? $"`{Path.GetFileName(tags)}` does not define it" : "this manuscript has no `content/citation-tags.tsv`";
            problem = new FileDiagnostic(Severity.Error, $"Unknown citation tag `{id.Accession}`: {where}, so Manubot cannot resolve `@{citation.Key}`.",
                citation.KeySpan, TagCode, ImmutableArray<string>.Empty);
        }
        return true;
    }

    /// <summary>The identifier, what a tag stands for, and the paper Manubot's cache (or a library) has for it.</summary>
    public static HoverResult? Hover(WorkspaceSnapshot snapshot, NoteDocument note, Citation citation)
    {
        if (ManubotIdentifier.Parse(citation.Key) is not { } id) return null;
        var sb = new StringBuilder();
        var resolved = id;
        if (id.Prefix == "tag")
        {
            if (TagOf(snapshot, note.Path, id) is not { } tag)
                return new HoverResult($"**`{Code(citation.Key)}`** is a citation tag that no `citation-tags.tsv` of this manuscript defines.", citation.KeySpan);
            sb.Append($"**`{Code(citation.Key)}`** stands for `{Code(tag.Citation)}` (citation-tags.tsv).");
            resolved = ManubotIdentifier.Parse(tag.Citation);
            if (resolved is null) return new HoverResult(sb.ToString(), citation.KeySpan);
        }
        else
        {
            sb.Append($"**`{Code(citation.Key)}`** is {id.Kind}, resolved by Manubot when it builds the manuscript.");
        }
        if (resolved.Problem is { } why) sb.Append($"\n\nIt is malformed: {why}.");
        else if (PaperOf(snapshot, note, resolved) is { } found)
            sb.Append("\n\n").Append(Features.Hover.PaperMarkdown(snapshot, found.Paper)).Append(found.FromCache ? "\n\nFrom Manubot's cache of references." : "");
        else sb.Append("\n\nManubot's cache of references (`output/references.json`) does not have it yet.");
        return new HoverResult(sb.ToString(), citation.KeySpan);
    }

    /// <summary>From a tag, its line in citation-tags.tsv; from an identifier, its paper in Manubot's cache.</summary>
    public static ImmutableArray<FileSpan> Definition(WorkspaceSnapshot snapshot, NoteDocument note, string key)
    {
        if (ManubotIdentifier.Parse(key) is not { } id) return [];
        if (id.Prefix == "tag")
            return TagOf(snapshot, note.Path, id) is { } tag && snapshot.Libraries.ManuscriptOf(note.Path)?.TagsPath is { } path
                ? [new FileSpan(path, tag.Line)]
                : [];
        return PaperOf(snapshot, note, id) is { } found ? [new FileSpan(found.Paper.Location.Path, found.Paper.Location.FocusSpan)] : [];
    }

    private static ManubotTag? TagOf(WorkspaceSnapshot snapshot, string notePath, ManubotIdentifier id) =>
        snapshot.Libraries.ManuscriptOf(notePath)?.Tags.GetValueOrDefault(id.Accession);

    /// <summary>The paper for an identifier: a library's entry with it as its key (a manual reference), else Manubot's cache.</summary>
    private static (Paper Paper, bool FromCache)? PaperOf(WorkspaceSnapshot snapshot, NoteDocument note, ManubotIdentifier id)
    {
        var scope = snapshot.ScopeOf(note);
        if ((scope.Find(id.Prefix + ":" + id.Accession) ?? scope.Find(id.StandardId)) is { } paper) return (paper, false);
        return snapshot.Libraries.ManuscriptOf(note.Path)?.Cached.GetValueOrDefault(id.StandardId) is { } cached ? (cached, true) : null;
    }

    private static string Code(string text) => text.Replace("`", "");
}

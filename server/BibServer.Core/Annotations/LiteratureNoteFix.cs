using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Annotations;

/// <summary>
/// "Create a literature note for `key`": on a citation of a paper that has no literature note yet, a new
/// note where the workspace keeps them (<see cref="LiteratureNoteSettings"/>), made by the editor from a
/// workspace edit: front matter naming the key, the title, the authors and the year, then the abstract as
/// a quote, ready to write in.
/// </summary>
public static class LiteratureNoteFix
{
    private static readonly JsonSerializerOptions Quoted = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static QuickFix? For(WorkspaceSnapshot snapshot, NoteDocument note, Citation citation)
    {
        if (snapshot.ScopeOf(note).Find(citation.Key) is not { } paper) return null;
        if (AnnotationIndex.LiteratureNotesOf(snapshot, paper.Key).Length > 0) return null;
        var settings = snapshot.LiteratureNotes;
        // A note opened outside any workspace folder gets its literature note beside it.
        var root = settings.Roots.FirstOrDefault(r => note.Path.StartsWith(r, StringComparison.Ordinal))
            ?? (settings.Roots.IsEmpty ? Path.GetDirectoryName(note.Path) : settings.Roots[0]);
        if (root is null || !Path.IsPathRooted(root)) return null;
        var path = settings.NewNotePath(paper.Key, root);
        if (snapshot.Note(path) is not null || path == note.Path) return null;
        return new QuickFix($"Create a literature note for `{paper.Key}`",
            [new FileEdit(path, new TextSpan(0, 0), Text(paper), CreatesFile: true)], Fixes: null, IsPreferred: false);
    }

    /// <summary>The new note's text: YAML front matter (values quoted as JSON strings, which YAML reads), then the abstract quoted.</summary>
    public static string Text(Paper paper)
    {
        var sb = new StringBuilder("---\n");
        sb.Append("key: ").Append(JsonSerializer.Serialize(paper.Key, Quoted)).Append('\n');
        sb.Append("title: ").Append(JsonSerializer.Serialize(paper.Title, Quoted)).Append('\n');
        var authors = paper.Authors.Select(a => a.Display).Where(a => a.Length > 0).ToList();
        if (authors.Count == 0 && paper.Organization is { Length: > 0 } org) authors.Add(org);
        if (authors.Count > 0)
        {
            sb.Append("author:\n");
            foreach (var a in authors) sb.Append("- ").Append(JsonSerializer.Serialize(a, Quoted)).Append('\n');
        }
        if (paper.Year is { } year) sb.Append("year: ").Append(year).Append('\n');
        sb.Append("---\n\n");
        if (!string.IsNullOrWhiteSpace(paper.Abstract))
            sb.Append("> ").Append(string.Join(' ', paper.Abstract.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).Append("\n\n");
        return sb.ToString();
    }
}

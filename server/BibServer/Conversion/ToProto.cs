using BibServer.Core.Features;
using BibServer.Core.Text;
using BibServer.Core.Workspace;
using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Conversion;

/// <summary>
/// Turns the core's values into protocol values: offsets into line/UTF-16-column positions through a
/// LineIndex. One of the two places where LSP and the core meet (the other is <see cref="FromProto"/>).
/// </summary>
internal static class ToProto
{
    /// <summary>Shown as the diagnostics' source, so a user can tell ours from a linter's.</summary>
    public const string Source = "bibserver";

    public static LSP.Position Position(LineIndex lines, int offset)
    {
        var position = lines.GetPosition(offset);
        return new LSP.Position(position.Line, position.Column);
    }

    public static LSP.Range Range(LineIndex lines, TextSpan span) => new(Position(lines, span.Start), Position(lines, span.End));

    public static LSP.Location Location(string uri, LineIndex lines, TextSpan span) => new(uri, Range(lines, span));

    public static LSP.DiagnosticSeverity Severity(Severity severity) => severity switch
    {
        Core.Text.Severity.Error => LSP.DiagnosticSeverity.Error,
        Core.Text.Severity.Warning => LSP.DiagnosticSeverity.Warning,
        Core.Text.Severity.Information => LSP.DiagnosticSeverity.Information,
        _ => LSP.DiagnosticSeverity.Hint,
    };

    /// <summary>A diagnostic of the core as the client shows it: the one conversion, for open documents and library files alike.</summary>
    public static LSP.Diagnostic Diagnostic(LineIndex lines, FileDiagnostic diagnostic) => new(Range(lines, diagnostic.Span), diagnostic.Message)
    {
        Severity = Severity(diagnostic.Severity),
        Code = string.IsNullOrEmpty(diagnostic.Code) ? null : diagnostic.Code,
        Source = Source,
    };

    public static LSP.MarkupContent Markdown(string markdown) => new(LSP.MarkupKind.Markdown, markdown);

    /// <summary>
    /// The line index of any file the workspace knows (a note, a library, open or not), which is what turns
    /// the core's offsets in files other than the request's into positions; null for a file it does not know.
    /// </summary>
    public static LineIndex? LinesOf(WorkspaceSnapshot workspace, string path) =>
        workspace.Note(path)?.Lines ?? workspace.Library(path)?.Lines;

    /// <summary>A span of a workspace file as a location; null when the workspace does not know the file.</summary>
    public static LSP.Location? Location(WorkspaceSnapshot workspace, FileSpan span) =>
        LinesOf(workspace, span.Path) is { } lines ? Location(DocumentUris.UriOf(span.Path), lines, span.Span) : null;

    /// <summary>Spans as locations; each file's URI and line index are looked up once, as thousands of spans may share them.</summary>
    public static LSP.Location[] Locations(WorkspaceSnapshot workspace, IEnumerable<FileSpan> spans)
    {
        var result = new List<LSP.Location>();
        string? path = null, uri = null;
        LineIndex? lines = null;
        foreach (var span in spans)
        {
            // A location in another application (zotero://select/...) is a URI, not a file: it has no lines.
            if (!Path.IsPathRooted(span.Path) && span.Path.Contains("://", StringComparison.Ordinal))
            {
                result.Add(new LSP.Location(span.Path, new LSP.Range(new LSP.Position(0, 0), new LSP.Position(0, 0))));
                continue;
            }
            if (span.Path != path)
            {
                path = span.Path;
                lines = LinesOf(workspace, path);
                uri = lines is null ? null : DocumentUris.UriOf(path);
            }
            if (lines is not null) result.Add(Location(uri!, lines, span.Span));
        }
        return [.. result];
    }

    /// <summary>Edits of workspace files as one WorkspaceEdit, by file URI (the core's edits never overlap).</summary>
    public static LSP.WorkspaceEdit WorkspaceEdit(WorkspaceSnapshot workspace, IEnumerable<FileEdit> edits)
    {
        if (edits.Any(e => e.CreatesFile)) return WithNewFiles(workspace, edits);
        var changes = new Dictionary<string, IReadOnlyList<LSP.TextEdit>>(StringComparer.Ordinal);
        foreach (var file in edits.GroupBy(e => e.Path, StringComparer.Ordinal))
        {
            if (LinesOf(workspace, file.Key) is not { } lines) continue;
            changes[DocumentUris.UriOf(file.Key)] = [.. file.Select(e => new LSP.TextEdit(Range(lines, e.Span), e.NewText))];
        }
        return new LSP.WorkspaceEdit { Changes = changes };
    }

    /// <summary>
    /// Edits that create files, as <c>documentChanges</c>: each new file created (never over an existing one),
    /// then its text inserted; the other edits after them.
    /// </summary>
    private static LSP.WorkspaceEdit WithNewFiles(WorkspaceSnapshot workspace, IEnumerable<FileEdit> edits)
    {
        var changes = new List<System.Text.Json.JsonElement>();
        foreach (var e in edits)
        {
            var uri = DocumentUris.UriOf(e.Path);
            if (e.CreatesFile)
            {
                changes.Add(LSP.LspJson.ToElement(new LSP.CreateFile(uri, new LSP.CreateFileOptions(Overwrite: false, IgnoreIfExists: true))));
                var start = new LSP.Position(0, 0);
                changes.Add(LSP.LspJson.ToElement(new LSP.TextDocumentEdit(new LSP.OptionalVersionedTextDocumentIdentifier(uri, null), [new LSP.TextEdit(new LSP.Range(start, start), e.NewText)])));
            }
            else if (LinesOf(workspace, e.Path) is { } lines)
                changes.Add(LSP.LspJson.ToElement(new LSP.TextDocumentEdit(new LSP.OptionalVersionedTextDocumentIdentifier(uri, null), [new LSP.TextEdit(Range(lines, e.Span), e.NewText)])));
        }
        return new LSP.WorkspaceEdit { DocumentChanges = changes };
    }
}

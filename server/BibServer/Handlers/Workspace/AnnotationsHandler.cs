using BibServer.Conversion;
using BibServer.Documents;
using BibServer.Core.Annotations;
using BibServer.Core.Export;
using BibServer.Server;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// The annotated bibliography in the editor (docs/annotations.md): <c>bibserver/papersNotCited</c> lists the
/// papers of the workspace's libraries that no note cites, for the client's "Papers not cited yet" command;
/// <c>bibserver/annotatedBibliography</c> gives the Markdown of <c>export --annotated</c>, which the client
/// opens in an untitled document (the server writes no file).
/// </summary>
internal static class AnnotationsHandler
{
    public const string PapersNotCitedMethod = "bibserver/papersNotCited";
    public const string AnnotatedBibliographyMethod = "bibserver/annotatedBibliography";

    public static void Register(LspRouter router)
    {
        router.Request<LSP.PapersNotCitedParams?, LSP.PapersNotCitedResult>(PapersNotCitedMethod, (context, request, _) => PapersNotCited(context, request));
        router.AsyncRequest<LSP.AnnotatedBibliographyParams?, LSP.AnnotatedBibliographyResult>(AnnotatedBibliographyMethod, Bibliography);
    }

    internal static LSP.PapersNotCitedResult PapersNotCited(RequestContext context, LSP.PapersNotCitedParams? request)
    {
        var workspace = context.Snapshot.Workspace;
        var papers = Coverage.Uncited(workspace)
            .Where(p => workspace.Library(p.Location.Path) is not null)
            .Select(p => new LSP.UncitedPaper(p.Key, p.Title, Core.Features.PaperText.AuthorsShort(p),
                ToProto.Location(DocumentUris.UriOf(p.Location.Path), workspace.Library(p.Location.Path)!.Lines, p.Location.FocusSpan), p.Year))
            .ToList();
        // By library (the libraries' order, then the entries' order) is how Coverage gives them; by title on request.
        if (request?.Sort == "title") papers = [.. papers.OrderBy(p => p.Title, StringComparer.OrdinalIgnoreCase)];
        return new LSP.PapersNotCitedResult([.. papers], workspace.Libraries.Workspace.Papers.Length);
    }

    /// <summary>The annotated bibliography, its references in the notes' citation style (as <c>export --annotated</c> writes it).</summary>
    internal static async Task<LSP.AnnotatedBibliographyResult> Bibliography(RequestContext context, LSP.AnnotatedBibliographyParams? request, CancellationToken cancellationToken)
    {
        var snapshot = context.Snapshot;
        var workspace = snapshot.Workspace;
        // The note asked about, else every note of the workspace.
        var notes = request?.Uri is { } uri && snapshot.Documents.Get(uri) is { } document && workspace.Note(document.CorePath) is { } note
            ? [note.Path]
            : workspace.Notes.Keys.Order(StringComparer.Ordinal).ToList();
        var root = snapshot.Roots.FirstOrDefault();
        string Display(string path) => root is not null && path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal) ? Path.GetRelativePath(root, path) : path;
        var renderer = await context.Host.Styles.RendererAsync(cancellationToken);
        var style = context.Host.Styles.ForNotes(renderer, workspace, notes, snapshot.Roots);
        var markdown = AnnotatedBibliography.Markdown(workspace, notes, Display, style: style);
        return new LSP.AnnotatedBibliographyResult(markdown, AnnotatedBibliography.Papers(workspace, notes).Length, notes.Count);
    }
}

using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Core.Text;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/codeAction: quick fixes for unknown keys, found from the diagnostics the client sends back
/// and from the cursor's range alone (clients that send no diagnostics, or a cursor on the key).
/// </summary>
internal static class CodeActionHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            CodeActionProvider = new LSP.CodeActionOptions(CodeActionKinds: [LSP.CodeActionKind.QuickFix]),
        });
        router.Request<LSP.CodeActionParams, LSP.CodeAction[]>(LSP.Methods.TextDocumentCodeAction, Handle);
    }

    internal static LSP.CodeAction[] Handle(RequestContext context, LSP.CodeActionParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        if (request.Context.Only is { } only && !only.Any(kind => kind == LSP.CodeActionKind.QuickFix || LSP.CodeActionKind.QuickFix.StartsWith(kind + ".", StringComparison.Ordinal)))
            return [];
        var ours = request.Context.Diagnostics.Where(d => d.CodeText == Features.DiagnosticCodes.UnknownKey).ToList();
        var spans = new List<TextSpan> { FromProto.Span(document, request.Range) };
        spans.AddRange(ours.Select(d => FromProto.Span(document, d.Range)));
        var workspace = context.Snapshot.Workspace;
        var fixes = Features.CodeActions.Find(workspace, document.CorePath, spans);
        // A fix that creates a file (a literature note) only for a client that can create files from an edit.
        var creates = context.ClientCapabilities.Workspace?.WorkspaceEdit is { DocumentChanges: true, ResourceOperations: { } operations } && operations.Contains("create");
        return [.. fixes.Where(fix => creates || !fix.Edits.Any(e => e.CreatesFile)).Select(fix => new LSP.CodeAction(fix.Title)
        {
            Kind = LSP.CodeActionKind.QuickFix,
            Diagnostics = fix.Fixes is { } diagnostic ? [Diagnostic(document.Lines, diagnostic, ours)] : null,
            IsPreferred = fix.IsPreferred ? true : null,
            Edit = ToProto.WorkspaceEdit(workspace, fix.Edits),
        })];
    }

    /// <summary>The diagnostic a fix is attached to: the client's own copy when it sent one, else ours.</summary>
    private static LSP.Diagnostic Diagnostic(LineIndex lines, Features.FileDiagnostic fixes, List<LSP.CodeActionContextDiagnostic> sent)
    {
        var range = ToProto.Range(lines, fixes.Span);
        var message = sent.FirstOrDefault(d => d.Range == range)?.Message ?? fixes.Message;
        return new LSP.Diagnostic(range, message)
        {
            Severity = ToProto.Severity(fixes.Severity),
            Code = fixes.Code,
            Source = ToProto.Source,
        };
    }
}

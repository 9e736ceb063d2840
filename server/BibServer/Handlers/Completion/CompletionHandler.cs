using BibServer.Conversion;
using BibServer.Server;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>textDocument/completion of citation keys, triggered by the characters that start or separate citations.</summary>
internal static class CompletionHandler
{
    /// <summary>"@" starts a citation, "[" a bracketed group, ";" the next citation in a group.</summary>
    public static IReadOnlyList<string> TriggerCharacters { get; } = ["@", "[", ";"];

    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            CompletionProvider = new LSP.CompletionOptions { TriggerCharacters = TriggerCharacters, ResolveProvider = false },
        });
        router.Request<LSP.CompletionParams, LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, Handle);
    }

    internal static LSP.CompletionList Handle(RequestContext context, LSP.CompletionParams request, CancellationToken cancellationToken)
    {
        var empty = new LSP.CompletionList(IsIncomplete: false, []);
        if (context.Document(request.TextDocument) is not { } document) return empty;
        var offset = FromProto.Offset(document, request.Position);
        // The core's completion plugs in here: Completion.Find(context.Snapshot.<workspace>, document, offset),
        // each item's edit converted with ToProto.Range(document.Lines, span).
        _ = offset;
        return empty;
    }
}

using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Core.Text;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/documentSymbol: a note's headings with their citations, or a library file's entries. Nested
/// DocumentSymbols for clients that say they understand them; otherwise the same symbols flat, each
/// naming its heading as its container.
/// </summary>
internal static class DocumentSymbolHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { DocumentSymbolProvider = true });
        router.Request<LSP.DocumentSymbolParams, object[]>(LSP.Methods.TextDocumentDocumentSymbol, Handle);
    }

    internal static object[] Handle(RequestContext context, LSP.DocumentSymbolParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        var symbols = Features.Symbols.Document(context.Snapshot.Workspace, document.CorePath);
        if (context.ClientCapabilities.TextDocument?.DocumentSymbol?.HierarchicalDocumentSymbolSupport == true)
            return [.. symbols.Select(s => Symbol(document.Lines, s))];
        var flat = new List<object>();
        void Flatten(Features.OutlineSymbol symbol, string? container)
        {
            flat.Add(new LSP.SymbolInformation(symbol.Name, Kind(symbol.Role), ToProto.Location(document.Uri, document.Lines, symbol.Span), container));
            foreach (var child in symbol.Children) Flatten(child, symbol.Name);
        }
        foreach (var symbol in symbols) Flatten(symbol, null);
        return [.. flat];
    }

    private static LSP.DocumentSymbol Symbol(LineIndex lines, Features.OutlineSymbol symbol) =>
        new(symbol.Name, Kind(symbol.Role), ToProto.Range(lines, symbol.Span), ToProto.Range(lines, symbol.SelectionSpan))
        {
            Detail = symbol.Detail,
            Children = symbol.Children.IsEmpty ? null : [.. symbol.Children.Select(c => Symbol(lines, c))],
        };

    /// <summary>Headings show as VS Code's own Markdown outline shows them (strings); citations as keys; entries as objects.</summary>
    private static LSP.SymbolKind Kind(Features.SymbolRole role) => role switch
    {
        Features.SymbolRole.Heading => LSP.SymbolKind.String,
        Features.SymbolRole.Citation => LSP.SymbolKind.Key,
        _ => LSP.SymbolKind.Object,
    };
}

using System.Collections.Immutable;

namespace BibServer.Documents;

/// <summary>The open documents by URI, as the client spells it. Immutable; every change returns a new store.</summary>
internal sealed class DocumentStore
{
    public static DocumentStore Empty { get; } = new(ImmutableDictionary<string, OpenDocument>.Empty);

    private readonly ImmutableDictionary<string, OpenDocument> _documents;

    private DocumentStore(ImmutableDictionary<string, OpenDocument> documents) => _documents = documents;

    public int Count => _documents.Count;

    public IEnumerable<OpenDocument> All => _documents.Values;

    public OpenDocument? Get(string uri) => _documents.GetValueOrDefault(uri);

    public DocumentStore With(OpenDocument document) => new(_documents.SetItem(document.Uri, document));

    public DocumentStore Without(string uri) => new(_documents.Remove(uri));
}

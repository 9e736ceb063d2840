using System.Collections.Immutable;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Csl;

/// <summary>
/// The shape both CSL front ends read their input into: JSON and YAML differ in syntax but carry the same
/// objects, lists and scalars, so one mapping to <see cref="Papers.Paper"/> serves both.
/// Spans are offsets in the caller's text (already shifted by any base offset).
/// </summary>
internal abstract record CslNode(TextSpan Span);

internal enum CslScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A scalar; for a quoted string <see cref="CslNode.Span"/> covers the text between the quotes.</summary>
internal sealed record CslScalar(TextSpan Span, string Value, CslScalarKind Kind) : CslNode(Span);

internal sealed record CslMember(string Name, TextSpan NameSpan, CslNode Value);

/// <summary>
/// An object (JSON) or mapping (YAML). <see cref="Complete"/> is false when the input broke off inside it:
/// such a node holds what was read before the damage and is never turned into a paper.
/// </summary>
internal sealed record CslMap(TextSpan Span, ImmutableArray<CslMember> Members, bool Complete) : CslNode(Span);

internal sealed record CslList(TextSpan Span, ImmutableArray<CslNode> Items, bool Complete) : CslNode(Span);

/// <summary>
/// What differs between the front ends after parsing: how messages name the syntax ("JSON object",
/// "YAML mapping"), and whether a root map without references is itself a reference (a JSON file) or
/// just a note's front matter that cites nothing of its own (YAML).
/// </summary>
internal sealed record CslDialect(string Syntax, string MapWord, string ListWord, string CodePrefix, bool BareMapIsReference)
{
    public static CslDialect Json { get; } = new("JSON", "object", "array", "csl-json", BareMapIsReference: true);

    public static CslDialect Yaml { get; } = new("YAML", "mapping", "list", "csl-yaml", BareMapIsReference: false);
}

/// <summary>
/// Collects the members and items of a container while its front end reads it. When the input breaks
/// off, the open builders are closed as incomplete so that everything read before the damage survives.
/// </summary>
internal sealed class CslNodeBuilder(bool isMap, int start)
{
    private readonly ImmutableArray<CslMember>.Builder _members = ImmutableArray.CreateBuilder<CslMember>();
    private readonly ImmutableArray<CslNode>.Builder _items = ImmutableArray.CreateBuilder<CslNode>();
    private string? _pendingName;
    private TextSpan _pendingNameSpan;

    public bool IsMap { get; } = isMap;

    public int Start { get; } = start;

    /// <summary>The end of the last thing added: where a block-style YAML container really ends.</summary>
    public int ContentEnd { get; private set; } = start;

    public bool ExpectsName => IsMap && _pendingName is null;

    /// <param name="extentEnd">Where the name's text ends when that is past its span (a closing quote).</param>
    public void SetName(string name, TextSpan span, int? extentEnd = null)
    {
        _pendingName = name;
        _pendingNameSpan = span;
        ContentEnd = Math.Max(ContentEnd, extentEnd ?? span.End);
    }

    /// <summary>A member whose name is not text (a YAML complex key) is read and dropped.</summary>
    public void SetIgnoredName(TextSpan span) => SetName("\0ignored", span);

    /// <param name="extentEnd">Where the node's text ends when that is past its span (a closing quote).</param>
    public void Add(CslNode node, int? extentEnd = null)
    {
        ContentEnd = Math.Max(ContentEnd, extentEnd ?? node.Span.End);
        if (!IsMap)
        {
            _items.Add(node);
            return;
        }
        if (_pendingName is null) return;
        if (_pendingName != "\0ignored") _members.Add(new CslMember(_pendingName, _pendingNameSpan, node));
        _pendingName = null;
    }

    /// <summary>
    /// Takes back the last member of a map, to be read further: a block list that damage below it closed
    /// too early. The member's name is pending again.
    /// </summary>
    public CslMember? ReopenLastMember()
    {
        if (!IsMap || _pendingName is not null || _members.Count == 0) return null;
        var last = _members[^1];
        _members.RemoveAt(_members.Count - 1);
        SetName(last.Name, last.NameSpan);
        return last;
    }

    public CslNode Build(int end, bool complete)
    {
        var span = TextSpan.FromBounds(Start, Math.Max(Start, end));
        return IsMap
            ? new CslMap(span, _members.ToImmutable(), complete)
            : new CslList(span, _items.ToImmutable(), complete);
    }
}

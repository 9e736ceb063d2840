using System.Collections.Immutable;
using BibServer.Core.Libraries.Keys;
using BibServer.Core.Libraries.PaperLists;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

/// <summary>
/// All the libraries a note can cite from, merged: each paper once, under its final key. Built from the
/// library documents in library order, where the first library wins a conflict.
/// <list type="bullet">
/// <item>Scraped-list papers with the same title (after folding case, accents, punctuation and spacing) are
/// one paper: the first listing is its <see cref="Paper.Location"/>, the others are its
/// <see cref="Paper.OtherListings"/>, and what the first lacks (authors, venue, date, abstract) is taken from
/// the later ones.</item>
/// <item>A scraped-list paper with the title of a BibTeX/CSL paper is a listing of that paper, which keeps its
/// key: exporting a list to BibTeX is how a user pins keys.</item>
/// <item>BibTeX/CSL papers are never merged by title, as their keys are what notes cite. One key defined twice
/// in one file is reported at both entries; one key in two libraries is one paper when the titles agree, and a
/// conflict reported at both entries, which the first library wins, when they do not.</item>
/// <item>Scraped-list papers then get their keys (<see cref="PaperKeys"/>), never one a BibTeX/CSL paper uses.</item>
/// </list>
/// </summary>
public sealed class LibrarySet
{
    /// <summary>The <see cref="Problem.Code"/>s of merge problems.</summary>
    public static class Codes
    {
        public const string DuplicateKey = "library-duplicate-key";
        public const string KeyConflict = "library-key-conflict";
    }

    public static LibrarySet Empty { get; } = new(
        [], [], new Dictionary<string, int>(StringComparer.Ordinal), [],
        new Dictionary<string, ImmutableArray<SourceLocation>>(StringComparer.Ordinal),
        new Dictionary<string, ImmutableArray<Problem>>(StringComparer.Ordinal));

    /// <summary>From this many papers on, titles are folded on every core.</summary>
    private const int ParallelThreshold = 4096;

    /// <summary>
    /// Each key's merged paper, as the number the merge gave its node (one table for the merge and for look-ups,
    /// each key hashed once); <see cref="_positions"/> says where that node's paper is in <see cref="Papers"/>.
    /// </summary>
    private readonly Dictionary<string, int>? _byKey;
    private readonly int[] _positions;

    /// <summary>The key table instead of <see cref="_byKey"/>, where every key is the source's and defined once: a paper's place in <see cref="Papers"/>.</summary>
    private readonly UniqueKeys? _unique;
    private readonly Dictionary<string, ImmutableArray<SourceLocation>> _definitions;
    private readonly Dictionary<string, ImmutableArray<Problem>> _problems;

    private LibrarySet(
        ImmutableArray<LibraryDocument> documents,
        ImmutableArray<Paper> papers,
        Dictionary<string, int>? byKey,
        int[] positions,
        Dictionary<string, ImmutableArray<SourceLocation>> definitions,
        Dictionary<string, ImmutableArray<Problem>> problems,
        UniqueKeys? unique = null)
    {
        Documents = documents;
        Papers = papers;
        _byKey = byKey;
        _positions = positions;
        _unique = unique;
        _definitions = definitions;
        _problems = problems;
    }

    /// <summary>What features compute from this merge (its search index, closest keys, entries by place), kept with it.</summary>
    public Memos Memos { get; } = new();

    /// <summary>The documents, in library order.</summary>
    public ImmutableArray<LibraryDocument> Documents { get; }

    /// <summary>
    /// The merged papers with their final keys, in library order of their <see cref="Paper.Location"/> (a list
    /// paper's first listing, a source paper's entry).
    /// </summary>
    public ImmutableArray<Paper> Papers { get; }


    /// <summary>The paper with this key, compared as pandoc does: exactly, case included.</summary>
    public Paper? Find(string key) =>
        _unique is not null ? (_unique.Find(key) is >= 0 and var place ? Papers[place] : null)
        : _byKey!.TryGetValue(key, out var number) ? Papers[_positions[number]] : null;

    /// <summary>
    /// Every place this key is defined, the place that wins first: the paper's entry, its other listings, and
    /// entries that lost a key conflict; empty for an unknown key. For go-to-definition and "defined twice".
    /// </summary>
    public ImmutableArray<SourceLocation> DefinitionsOf(string key) =>
        _definitions.TryGetValue(key, out var locations) ? locations
        : Find(key) is { } paper ? [paper.Location]
        : ImmutableArray<SourceLocation>.Empty;

    /// <summary>The reader's problems and the merge's problems for one library file, in the order of the file.</summary>
    public ImmutableArray<Problem> ProblemsFor(string path) =>
        _problems.TryGetValue(path, out var problems) ? problems : ImmutableArray<Problem>.Empty;

    /// <summary>One paper of one document, with its place in library order and its folded title (null until needed).</summary>
    private readonly record struct Entry(Paper Paper, int Document, int Order, string? TitleKey);

    private static string TitleKeyOf(Entry entry) => entry.TitleKey ?? TextFold.TitleKey(entry.Paper.Title);

    /// <summary>One merged paper while it is being built.</summary>
    private sealed class Node(Entry first)
    {
        public Entry First { get; } = first;

        /// <summary>The other listings; most papers are listed once, so the list is made only for a second.</summary>
        public List<Entry> Others => _others ??= [];

        public int OtherCount => _others?.Count ?? 0;

        private List<Entry>? _others;

        /// <summary>The title without a site's name, when the first listing carried one that others lack.</summary>
        public string? BareTitle { get; init; }

        /// <summary>The site's name that a listing's title ended with, kept as the paper's publisher.</summary>
        public string? Site { get; set; }

        /// <summary>The paper merged from the listings, under its final key, once the merge is done.</summary>
        public Paper? Paper { get; set; }

        /// <summary>The node's number: its place among the source nodes, then the list papers' nodes.</summary>
        public int Number { get; set; }
    }

    public static LibrarySet Build(IReadOnlyList<LibraryDocument> documents)
    {
        if (documents.Count == 0) return Empty;
        var docs = documents.ToImmutableArray();
        if (BuildUnique(docs) is { } unique) return unique;
        // The merge is most of a warm start's work after the cache's read, run once per process: it keeps to
        // arrays and its own types, whose code is compiled ahead (ReadyToRun), not to tuples in generic collections.
        var total = 0;
        foreach (var doc in docs) total += doc.Papers.Length;
        var entries = new Entry[total];
        // Titles match list papers to each other and to BibTeX/CSL papers; without list papers they are only
        // compared when one key is defined in two libraries.
        var matchTitles = false;
        for (int d = 0, at = 0; d < docs.Length; d++)
        {
            foreach (var paper in docs[d].Papers)
            {
                matchTitles |= paper.KeyOrigin == KeyOrigin.Generated;
                entries[at] = new Entry(paper, d, at, null);
                at++;
            }
        }
        if (matchTitles)
        {
            // Folding every title is most of a large merge's work, and each is independent.
            void Fold(int i) => entries[i] = entries[i] with { TitleKey = TextFold.TitleKey(entries[i].Paper.Title) };
            if (entries.Length < ParallelThreshold)
            {
                for (var i = 0; i < entries.Length; i++) Fold(i);
            }
            else
            {
                Parallel.For(0, entries.Length, Fold);
            }
        }

        var mergeProblems = new List<(int Document, Problem Problem)>();
        // Keyed by the source keys, then by the list papers' keys too: the set's table of keys. Sized for the papers
        // (most are one each), and each key hashed once as it goes in.
        var byKey = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
        var nodes = new List<Node>(entries.Length);
        var sourceByTitle = new Dictionary<string, Node>(StringComparer.Ordinal);
        var lostDefinitions = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        // Made only when a key is defined twice.
        Dictionary<(string Key, int Document), Entry>? firstInDocument = null;
        HashSet<(string Key, int Document)>? warnedFirst = null;

        int LineOf(Entry e) => docs[e.Document].Lines.GetPosition(e.Paper.Location.FocusSpan.Start).Line + 1;
        string Where(Entry e) => $"{System.IO.Path.GetFileName(docs[e.Document].Path)}:{LineOf(e)}";
        void Warn(Entry at, string message, string code) =>
            mergeProblems.Add((at.Document, new Problem(Severity.Warning, message, at.Paper.Location.FocusSpan, code)));
        void Lost(Entry e)
        {
            if (!lostDefinitions.TryGetValue(e.Paper.Key, out var list)) lostDefinitions[e.Paper.Key] = list = [];
            list.Add(e);
        }

        // Papers whose source names their key come first: they keep their keys, and list papers attach to them.
        foreach (var entry in entries)
        {
            if (entry.Paper.KeyOrigin != KeyOrigin.Source) continue;
            var key = entry.Paper.Key;
            ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byKey, key, out var defined);
            if (!defined)
            {
                // Most keys are defined once: they need no record of which file defined them first.
                slot = nodes.Count;
                var made = new Node(entry) { Number = nodes.Count };
                nodes.Add(made);
                if (matchTitles && entry.TitleKey!.Length > 0) sourceByTitle.TryAdd(entry.TitleKey, made);
                continue;
            }
            var node = nodes[slot];
            firstInDocument ??= [];
            warnedFirst ??= [];
            firstInDocument.TryAdd((key, node.First.Document), node.First);
            if (firstInDocument.TryGetValue((key, entry.Document), out var earlier))
            {
                if (warnedFirst.Add((key, entry.Document)))
                {
                    Warn(earlier, $"The key `{key}` is defined twice in this file: again at line {LineOf(entry)}. This first entry is the one used.", Codes.DuplicateKey);
                }
                Warn(entry, $"The key `{key}` is defined twice in this file: first at line {LineOf(earlier)}, which is the entry used; this one is ignored.", Codes.DuplicateKey);
                Lost(entry);
                continue;
            }
            firstInDocument[(key, entry.Document)] = entry;
            if (TitleKeyOf(entry) == TitleKeyOf(node.First))
            {
                node.Others.Add(entry);
                continue;
            }
            var winner = node.First;
            Warn(winner, $"The key `{key}` is also defined in {Where(entry)} for a different paper (\"{entry.Paper.Title}\"); the first library in order wins, so this entry is the one used.", Codes.KeyConflict);
            Warn(entry, $"The key `{key}` is already defined in {Where(winner)} for a different paper (\"{winner.Paper.Title}\"); the first library in order wins, so this entry is ignored.", Codes.KeyConflict);
            Lost(entry);
        }

        // Every title any paper has, so that a listing whose title ends with a site's name can be matched to
        // the same paper listed without it, wherever in library order that one is.
        var allTitles = new HashSet<string>(matchTitles ? entries.Length : 0, StringComparer.Ordinal);
        if (matchTitles)
        {
            foreach (var node in nodes) allTitles.Add(node.First.TitleKey!);
            foreach (var entry in entries)
            {
                if (entry.Paper.KeyOrigin == KeyOrigin.Generated) allTitles.Add(entry.TitleKey!);
            }
        }

        var generatedNodes = new List<Node>();
        var generatedByTitle = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Paper.KeyOrigin != KeyOrigin.Generated) continue;
            var titleKey = entry.TitleKey!;
            string? bare = null, site = null;
            if (entry.Paper.Authors.IsEmpty && SiteSuffix.TrySplit(entry.Paper.Title, out var b, out var s))
            {
                var bareKey = TextFold.TitleKey(b);
                if (bareKey.Length > 0 && bareKey != titleKey && allTitles.Contains(bareKey))
                {
                    titleKey = bareKey;
                    bare = b;
                    site = s;
                }
            }
            if (titleKey.Length > 0 && sourceByTitle.TryGetValue(titleKey, out var sourceNode))
            {
                sourceNode.Others.Add(entry);
                continue;
            }
            if (titleKey.Length > 0 && generatedByTitle.TryGetValue(titleKey, out var generatedNode))
            {
                generatedNode.Others.Add(entry);
                generatedNode.Site ??= site;
                continue;
            }
            var created = new Node(entry) { BareTitle = bare, Site = site };
            generatedNodes.Add(created);
            if (titleKey.Length > 0) generatedByTitle[titleKey] = created;
        }

        // Merge each node's listings into one paper; then key the list papers, around the source keys.
        var generatedPapers = generatedNodes.Select(Merge).ToList();
        var keys = generatedPapers.Count == 0 ? [] : PaperKeys.Assign(generatedPapers, byKey.Keys.ToHashSet(StringComparer.Ordinal));
        var built = new Node[nodes.Count + generatedNodes.Count];
        var count = 0;
        foreach (var node in nodes)
        {
            node.Paper = Merge(node);
            built[count++] = node;
        }
        for (var i = 0; i < generatedNodes.Count; i++)
        {
            generatedNodes[i].Paper = generatedPapers[i] with { Key = keys[i] };
            generatedNodes[i].Number = count;
            byKey[keys[i]] = count;
            built[count++] = generatedNodes[i];
        }
        if (!IsSorted(built)) Array.Sort(built, (a, b) => a.First.Order.CompareTo(b.First.Order));

        // Only keys defined in several places are kept here; the others are defined where their paper is.
        var definitions = new Dictionary<string, ImmutableArray<SourceLocation>>(StringComparer.Ordinal);
        var papers = new Paper[built.Length];
        var positions = new int[built.Length];
        for (var i = 0; i < built.Length; i++)
        {
            var node = built[i];
            var paper = papers[i] = node.Paper!;
            positions[node.Number] = i;
            var hasLost = paper.KeyOrigin == KeyOrigin.Source && lostDefinitions.ContainsKey(paper.Key);
            if (node.OtherCount == 0 && !hasLost) continue;
            var places = new List<Entry>(node.Others);
            if (hasLost) places.AddRange(lostDefinitions[paper.Key]);
            places.Sort((a, b) => a.Order.CompareTo(b.Order));
            var locations = ImmutableArray.CreateBuilder<SourceLocation>(places.Count + 1);
            locations.Add(paper.Location);
            foreach (var place in places) locations.Add(place.Paper.Location);
            definitions[paper.Key] = locations.MoveToImmutable();
        }

        return new LibrarySet(
            docs,
            System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(papers),
            byKey,
            positions,
            definitions,
            ProblemsByFile(docs, mergeProblems));
    }

    /// <summary>
    /// The merge where every paper's source names its key and no key is defined twice (most BibTeX and CSL libraries):
    /// the papers as they are, in library order, under a table of their keys; null for any other merge. What the full
    /// merge makes of such papers is the same: one paper each, nothing taken from another listing, no merge problem.
    /// </summary>
    private static LibrarySet? BuildUnique(ImmutableArray<LibraryDocument> docs)
    {
        var papers = docs.Length == 1 ? docs[0].Papers : [.. docs.SelectMany(d => d.Papers)];
        if (UniqueKeys.TryBuild(docs, papers) is not { } keys) return null;
        return new LibrarySet(docs, papers, null, [], new Dictionary<string, ImmutableArray<SourceLocation>>(StringComparer.Ordinal), ProblemsByFile(docs, []), keys);
    }

    /// <summary>Each library file's problems, the reader's and the merge's, in the order of the file.</summary>
    private static Dictionary<string, ImmutableArray<Problem>> ProblemsByFile(ImmutableArray<LibraryDocument> docs, List<(int Document, Problem Problem)> mergeProblems)
    {
        var problems = new Dictionary<string, List<Problem>>(StringComparer.Ordinal);
        List<Problem> ProblemsOf(string path)
        {
            if (!problems.TryGetValue(path, out var list)) problems[path] = list = [];
            return list;
        }
        foreach (var doc in docs) ProblemsOf(doc.Path).AddRange(doc.Problems);
        foreach (var (document, problem) in mergeProblems) ProblemsOf(docs[document].Path).Add(problem);
        return problems.ToDictionary(p => p.Key, p => p.Value.OrderBy(x => x.Span.Start).ToImmutableArray(), StringComparer.Ordinal);
    }

    private static bool IsSorted(Node[] built)
    {
        for (var i = 1; i < built.Length; i++)
            if (built[i - 1].First.Order > built[i].First.Order) return false;
        return true;
    }

    /// <summary>
    /// One paper from a node's listings: the first listing's paper, with the others as its other listings
    /// (library order) and what it lacks taken from them, the earliest that has it first.
    /// </summary>
    private static Paper Merge(Node node)
    {
        var paper = node.First.Paper;
        if (node.BareTitle is not null) paper = paper with { Title = node.BareTitle };
        if (node.Site is not null && !paper.Fields.ContainsKey("publisher")) paper = paper with { Fields = paper.Fields.Add("publisher", node.Site) };
        if (node.OtherCount == 0) return paper;

        var others = node.Others.OrderBy(e => e.Order).ToList();
        var listings = ImmutableArray.CreateBuilder<Listing>();
        listings.AddRange(paper.OtherListings);
        foreach (var other in others)
        {
            var p = other.Paper;
            listings.Add(new Listing(p.Location, p.Venue, p.Abstract, p.Date));
            listings.AddRange(p.OtherListings);
            if (paper.Authors.IsEmpty && !p.Authors.IsEmpty) paper = paper with { Authors = p.Authors };
            if (paper.AuthorCount is null && p.AuthorCount is not null) paper = paper with { AuthorCount = p.AuthorCount };
            if (paper.Organization is null && p.Organization is not null) paper = paper with { Organization = p.Organization };
            if (paper.Venue is null && p.Venue is not null) paper = paper with { Venue = p.Venue };
            if (paper.Abstract is null && p.Abstract is not null) paper = paper with { Abstract = p.Abstract };
            if (paper.Date?.Year is null && p.Date is not null && (paper.Date is null || p.Date.Year is not null)) paper = paper with { Date = p.Date };
            if (paper.Url is null && p.Url is not null) paper = paper with { Url = p.Url };
            if (paper.Doi is null && p.Doi is not null) paper = paper with { Doi = p.Doi };
            if (paper.ArxivId is null && p.ArxivId is not null) paper = paper with { ArxivId = p.ArxivId };
            foreach (var (name, value) in p.Fields)
            {
                if (!paper.Fields.ContainsKey(name)) paper = paper with { Fields = paper.Fields.Add(name, value) };
            }
        }
        return paper with { OtherListings = listings.ToImmutable() };
    }
}

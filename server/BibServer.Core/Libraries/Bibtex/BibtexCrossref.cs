using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// <c>crossref = {parent}</c>: the entry takes the fields it lacks from the parent entry in the same file,
/// as BibTeX does, and (as BibLaTeX does) the parent's title becomes its booktitle. A paper does not take
/// the parent's abstract, DOI, URL or identifiers, which belong to the proceedings, not to the paper.
/// </summary>
internal sealed class BibtexCrossref
{
    private const int MaxDepth = 8;

    private readonly Dictionary<int, RawField[]> _merged;

    private BibtexCrossref(Dictionary<int, RawField[]> merged, List<Problem> problems)
    {
        _merged = merged;
        Problems = problems;
    }

    public List<Problem> Problems { get; }

    public ReadOnlySpan<RawField> FieldsOf(int entry, BibtexScan scan)
    {
        if (_merged.Count > 0 && _merged.TryGetValue(entry, out var merged)) return merged;
        var e = scan.Entries[entry];
        return scan.Fields.AsSpan(e.FirstField, e.FieldCount);
    }

    public static BibtexCrossref Resolve(BibtexSource text, BibtexScan scan)
    {
        var merged = new Dictionary<int, RawField[]>();
        var problems = new List<Problem>();
        List<int>? children = null;
        for (var i = 0; i < scan.Entries.Count; i++)
        {
            var e = scan.Entries[i];
            foreach (var f in scan.Fields.AsSpan(e.FirstField, e.FieldCount))
            {
                if (f.Field != BibField.Crossref) continue;
                (children ??= new List<int>()).Add(i);
                break;
            }
        }
        if (children is null) return new BibtexCrossref(merged, problems);

        // BibTeX matches crossref keys without regard to case; the first entry with a key wins.
        var byKey = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < scan.Entries.Count; i++)
        {
            var e = scan.Entries[i];
            if (e.KeyLength > 0) byKey.TryAdd(text.String(e.KeyStart, e.KeyLength), i);
        }
        foreach (var child in children)
        {
            merged[child] = Merge(text, scan, byKey, child, 0, problems).ToArray();
        }
        return new BibtexCrossref(merged, problems);
    }

    private static List<RawField> Merge(BibtexSource text, BibtexScan scan, Dictionary<string, int> byKey, int index, int depth, List<Problem>? problems)
    {
        var e = scan.Entries[index];
        var own = scan.Fields.AsSpan(e.FirstField, e.FieldCount);
        var result = new List<RawField>(own.ToArray());
        RawField? crossref = null;
        foreach (var f in own)
        {
            if (f.Field == BibField.Crossref) crossref = f;
        }
        if (crossref is not { } cr || depth >= MaxDepth) return result;

        var parentKey = LatexDecoder.Trim(text.Span(cr.Value)).ToString();
        if (!byKey.TryGetValue(parentKey, out var parent) || parent == index)
        {
            if (problems is not null)
            {
                var keyText = text.String(e.KeyStart, e.KeyLength);
                problems.Add(new Problem(Severity.Warning,
                    $"Entry `{keyText}` takes fields by crossref from `{parentKey}`, but there is no entry `{parentKey}` in this file.",
                    CrossrefSpan(cr, text), "bibtex-crossref-missing"));
            }
            return result;
        }

        var inherited = Merge(text, scan, byKey, parent, depth + 1, null);
        // The parent's title is the child's booktitle; the parent's own booktitle (a proceedings that
        // is part of a larger book) only fills in when the parent has no title, hence two passes.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var f in inherited)
            {
                var isBookTitle = f.Field is BibField.BookTitle or BibField.BookSubtitle;
                if (isBookTitle != (pass == 1)) continue;
                var field = f.Field switch
                {
                    BibField.Title => BibField.BookTitle,
                    BibField.Subtitle => BibField.BookSubtitle,
                    BibField.Abstract or BibField.Doi or BibField.Url or BibField.Eprint or BibField.EprintType
                        or BibField.ArchivePrefix or BibField.ArxivId or BibField.ShortTitle or BibField.Crossref
                        or BibField.Pmid or BibField.Pmcid => BibField.Unknown,
                    _ => f.Field,
                };
                if (field == BibField.Unknown || Has(result, field)) continue;
                // A child that names its own booktitle keeps it whole, without the parent's subtitle.
                if (field == BibField.BookSubtitle && HadOwn(own, BibField.BookTitle)) continue;
                result.Add(f with { Field = field });
            }
        }
        return result;
    }

    private static bool HadOwn(ReadOnlySpan<RawField> fields, BibField field)
    {
        foreach (var f in fields)
        {
            if (f.Field == field) return true;
        }
        return false;
    }

    private static bool Has(List<RawField> fields, BibField field)
    {
        foreach (var f in fields)
        {
            if (f.Field == field) return true;
        }
        return false;
    }

    private static TextSpan CrossrefSpan(RawField field, BibtexSource text) => TextSpan.FromBounds(field.NameStart, text.LineEndTrimmed(field.NameStart));
}

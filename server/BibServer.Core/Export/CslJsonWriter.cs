using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Papers;

namespace BibServer.Core.Export;

/// <summary>Writes papers as a CSL-JSON array that pandoc's citeproc and <see cref="CslJsonReader"/> read back.</summary>
public static partial class CslJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        // Titles stay readable: accents and "&" are written as themselves, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// One object per paper: id, type, title, author, editor, issued, container-title, abstract, URL, DOI,
    /// then the other fields by name. A paper that names only an organisation gets it as a literal author;
    /// one that gives only a count of authors gets no author. An arXiv id no other field carries is written
    /// as number "arXiv:ID", the way Zotero does.
    /// </summary>
    public static string Write(IEnumerable<Paper> papers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartArray();
            foreach (var paper in papers) WritePaper(json, paper);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePaper(Utf8JsonWriter json, Paper paper)
    {
        var fields = new Dictionary<string, string>(paper.Fields, StringComparer.Ordinal);
        if (paper.ArxivId is { } arxiv && Arxiv.Find(paper.Url, paper.Doi, fields) != arxiv)
        {
            if (!fields.ContainsKey("number")) fields["number"] = "arXiv:" + arxiv;
            else fields["note"] = fields.TryGetValue("note", out var note) ? $"{note} arXiv:{arxiv}" : "arXiv:" + arxiv;
        }

        if (OtherVenues(paper, fields) is { Count: > 0 } others) fields[OtherVenuesField] = string.Join("; ", others);

        json.WriteStartObject();
        json.WriteString("id", paper.Key);
        json.WriteString("type", paper.Type);
        json.WriteString("title", paper.Title);

        var authors = paper.Authors.IsEmpty && paper.Organization is { } organisation
            ? [Person.Organisation(organisation)]
            : paper.Authors;
        WriteNames(json, "author", authors);
        WriteNames(json, "editor", paper.Editors);
        if (paper.Date is { } date) WriteDate(json, "issued", date);

        // A venue read from a fallback variable (event-title, collection-title) is written back there only.
        if (paper.Venue is { } venue && !CslVariables.VenueFallbacks.Any(f => fields.TryGetValue(f, out var v) && v == venue))
            json.WriteString("container-title", venue);
        WriteOptional(json, "abstract", paper.Abstract);
        WriteOptional(json, "URL", paper.Url);
        WriteOptional(json, "DOI", paper.Doi);

        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (CslVariables.Mapped.Contains(name) || CslVariables.Names.Contains(name)) continue;
            if (CslVariables.Dates.Contains(name)) WriteDate(json, name, CslDates.ParseRaw(value) is { Year: not null } parsed ? parsed with { Raw = null } : new PaperDate(null, Raw: value));
            else json.WriteString(name, value);
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Where the venues of a merged paper's other listings go (the same paper in another list or under another
    /// venue: "Neural Information Processing Systems", "arXiv.org Machine Learning"). CSL has one container
    /// title, so the others are joined by "; " in a variable no style knows: pandoc keeps it through
    /// <c>-f csljson -t csljson</c> and never prints it, a reader of the file sees it, and reading the file
    /// back keeps it as a field, so that exporting again writes it again.
    /// </summary>
    public const string OtherVenuesField = "bibserver-other-venues";

    /// <summary>The venues of a paper other than its own, in library order, each once (with any read back from an earlier export).</summary>
    private static List<string> OtherVenues(Paper paper, Dictionary<string, string> fields)
    {
        var venues = new List<string>();
        void Add(string? venue)
        {
            if (!string.IsNullOrWhiteSpace(venue) && venue != paper.Venue && !venues.Contains(venue)) venues.Add(venue);
        }
        if (fields.TryGetValue(OtherVenuesField, out var earlier))
            foreach (var venue in earlier.Split("; ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) Add(venue);
        foreach (var listing in paper.OtherListings) Add(listing.Venue);
        return venues;
    }

    private static void WriteNames(Utf8JsonWriter json, string variable, IReadOnlyCollection<Person> people)
    {
        if (people.Count == 0) return;
        json.WriteStartArray(variable);
        foreach (var person in people)
        {
            json.WriteStartObject();
            if (person.Literal is { } literal)
            {
                json.WriteString("literal", literal);
            }
            else
            {
                if (person.DroppingParticle is { Length: > 0 } dropping && person.Family is { } whole
                    && whole.Length > dropping.Length + 1 && whole.StartsWith(dropping + " ", StringComparison.Ordinal))
                {
                    WriteOptional(json, "dropping-particle", dropping);
                    WriteOptional(json, "family", whole[(dropping.Length + 1)..]);
                }
                else
                {
                    var (particle, family) = SplitParticle(person.Family);
                    WriteOptional(json, "non-dropping-particle", particle);
                    WriteOptional(json, "family", family);
                }
                WriteOptional(json, "given", person.Given);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// The paper model folds particles into the family name ("van Beethoven"); written back as a particle,
    /// citeproc can sort the name under B as styles ask. Lower-case leading words are particles, as are
    /// "d'" and "al-" before a capital. Reading the file folds them back into the same family name.
    /// </summary>
    private static (string? Particle, string? Family) SplitParticle(string? family)
    {
        if (family is null) return (null, null);
        var match = Particle().Match(family);
        return match.Success ? (match.Groups["particle"].Value.TrimEnd(), match.Groups["family"].Value) : (null, family);
    }

    [GeneratedRegex(@"^(?<particle>(?:\p{Ll}+\s+)+|\p{Ll}{1,3}['’-])(?<family>\p{Lu}.*)$")]
    private static partial Regex Particle();

    /// <summary>
    /// Numbers go to date-parts, written on one line for readability; the source's raw text rides along so
    /// that reading the file back gives the same date. A date with no year is a literal.
    /// </summary>
    private static void WriteDate(Utf8JsonWriter json, string variable, PaperDate date)
    {
        if (date.Year is null && string.IsNullOrEmpty(date.Raw)) return;
        json.WriteStartObject(variable);
        if (date.Year is { } year)
        {
            var parts = new List<int> { year };
            if (date.Month is { } month)
            {
                parts.Add(month);
                if (date.Day is { } day) parts.Add(day);
            }
            json.WritePropertyName("date-parts");
            json.WriteRawValue($"[[{string.Join(", ", parts)}]]");
            WriteOptional(json, "raw", date.Raw);
        }
        else if (date.Raw is { } raw)
        {
            json.WriteString("literal", raw);
        }
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) json.WriteString(name, value);
    }
}

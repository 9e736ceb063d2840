using System.Collections.Immutable;
using System.Globalization;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Csl;

/// <summary>
/// The one mapping from CSL items to papers, shared by the JSON and YAML front ends. It is lenient the way
/// pandoc is (numbers for text, a single name for a list, a bare string for a date) and reports what it
/// had to skip.
/// </summary>
internal static class CslMapping
{
    /// <summary>
    /// The references held by a document root: an array/list of them, a map with a "references" (YAML front
    /// matter) or "items" list, or a single reference.
    /// </summary>
    public static IEnumerable<CslNode> FindItems(CslNode? root, CslDialect dialect, ICollection<Problem> problems)
    {
        switch (root)
        {
            case null:
            case CslScalar { Kind: CslScalarKind.Null }:
                return [];
            case CslList list:
                return list.Items;
            case CslMap map:
                var holder = map.Members.LastOrDefault(m => m.Name is "references" or "items");
                if (holder is not null)
                {
                    if (holder.Value is CslList items) return items.Items;
                    if (holder.Value is CslScalar { Kind: CslScalarKind.Null }) return [];
                    problems.Add(new Problem(Severity.Error,
                        $"\"{holder.Name}\" should be a {dialect.Syntax} {dialect.ListWord} of references; nothing was read from it.",
                        holder.NameSpan, dialect.CodePrefix + "-wrong-type"));
                    return [];
                }
                // A front matter without references is an ordinary note; a JSON object is one reference.
                return dialect.BareMapIsReference || map.Members.Any(m => m.Name == "id") ? [map] : [];
            default:
                problems.Add(new Problem(Severity.Error,
                    $"This {dialect.Syntax} holds a single value, but CSL data is a {dialect.ListWord} of references.",
                    root.Span, dialect.CodePrefix + "-no-references"));
                return [];
        }
    }

    public static ImmutableArray<Paper> MapItems(string path, IEnumerable<CslNode> items, CslDialect dialect, ICollection<Problem> problems)
    {
        var papers = ImmutableArray.CreateBuilder<Paper>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            // A container the input broke off inside is already reported as a syntax problem.
            if (item is CslMap { Complete: false } or CslList { Complete: false }) continue;
            if (item is not CslMap map)
            {
                problems.Add(new Problem(Severity.Error,
                    $"Each reference must be a {dialect.Syntax} {dialect.MapWord} of CSL fields (id, type, title, ...); this one is skipped.",
                    item.Span, dialect.CodePrefix + "-not-a-reference"));
                continue;
            }
            var paper = new ItemReader(path, map, dialect, problems).Read();
            if (paper is null) continue;
            if (!seen.Add(paper.Key))
            {
                problems.Add(new Problem(Severity.Warning,
                    $"The id \"{paper.Key}\" is already used by an earlier reference in this file, so citing it is ambiguous.",
                    paper.Location.FocusSpan, dialect.CodePrefix + "-duplicate-id"));
            }
            papers.Add(paper);
        }
        return papers.ToImmutable();
    }

    /// <summary>Reads one item; holds the item's members and the problem list while it does.</summary>
    private sealed class ItemReader(string path, CslMap map, CslDialect dialect, ICollection<Problem> problems)
    {
        private readonly Dictionary<string, CslMember> _members = new(StringComparer.Ordinal);

        public Paper? Read()
        {
            foreach (var member in map.Members)
            {
                var name = CanonicalName(member.Name);
                if (_members.ContainsKey(name))
                {
                    Warn($"The field \"{member.Name}\" is given twice in this reference; the last one is used.",
                        member.NameSpan, "duplicate-field");
                }
                _members[name] = member;
            }

            var (key, keySpan, idOk) = Required("id", clean: false);
            var (title, _, titleOk) = Required("title", clean: true);
            if (!idOk || !titleOk) return null;
            if (key is null || title is null)
            {
                var missing = key is null && title is null ? "no id and no title"
                    : key is null ? "no id, so it cannot be cited" : "no title";
                var who = key is null ? "This reference" : $"The reference \"{key}\"";
                problems.Add(new Problem(Severity.Error, $"{who} has {missing}; it is skipped.", map.Span,
                    dialect.CodePrefix + (key is null ? "-missing-id" : "-missing-title")));
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, member) in _members)
            {
                if (CslVariables.Mapped.Contains(name) || CslVariables.Names.Contains(name)) continue;
                if (CslVariables.Dates.Contains(name))
                {
                    if (ReadDate(member) is { } date && date.ToString() is { Length: > 0 } shown) fields[name] = shown;
                    continue;
                }
                var text = Text(member, report: CslVariables.Texts.Contains(name));
                if (text is { Length: > 0 }) fields[name] = CslText.Clean(text);
            }
            var fieldMap = FieldMap.From(fields);

            var venue = Optional("container-title");
            foreach (var fallback in CslVariables.VenueFallbacks)
            {
                if (venue is not null) break;
                fieldMap.TryGetValue(fallback, out venue);
            }

            var url = Optional("URL", clean: false)?.Trim();
            var doi = Doi(Optional("DOI", clean: false));
            return new Paper
            {
                Key = key,
                KeyOrigin = KeyOrigin.Source,
                Type = Optional("type")?.ToLowerInvariant() ?? "article",
                Title = title,
                Authors = Names("author"),
                Editors = Names("editor"),
                Date = _members.TryGetValue("issued", out var issued) ? ReadDate(issued) : null,
                Venue = venue,
                Abstract = Optional("abstract"),
                Url = string.IsNullOrEmpty(url) ? null : url,
                Doi = doi,
                ArxivId = Arxiv.Find(url, doi, fieldMap),
                Fields = fieldMap,
                Location = new SourceLocation(path, map.Span, keySpan),
            };
        }

        /// <summary>
        /// A field the item cannot do without. Ok is false when it has the wrong type (already reported);
        /// a missing or empty field gives a null value with ok true, for the caller to report.
        /// </summary>
        private (string? Value, TextSpan Span, bool Ok) Required(string name, bool clean)
        {
            if (!_members.TryGetValue(name, out var member)) return (null, default, true);
            if (member.Value is CslScalar scalar)
            {
                if (scalar.Kind == CslScalarKind.Null) return (null, default, true);
                var value = clean ? CslText.Clean(scalar.Value) : scalar.Value;
                return (value.Trim().Length == 0 ? null : value, scalar.Span, true);
            }
            problems.Add(new Problem(Severity.Error,
                $"The {name} should be text, but it is a {KindOf(member.Value)}; this reference is skipped.",
                member.Value.Span, dialect.CodePrefix + "-wrong-type"));
            return (null, default, false);
        }

        private string? Optional(string name, bool clean = true)
        {
            if (!_members.TryGetValue(name, out var member)) return null;
            var text = Text(member, report: true);
            if (text is null) return null;
            var value = clean ? CslText.Clean(text) : text;
            return value.Length == 0 ? null : value;
        }

        /// <summary>The text of a scalar field; numbers and booleans are text too, as CSL processors treat them.</summary>
        private string? Text(CslMember member, bool report)
        {
            switch (member.Value)
            {
                case CslScalar { Kind: CslScalarKind.Null }:
                    return null;
                case CslScalar scalar:
                    return scalar.Value;
                default:
                    if (report)
                    {
                        Warn($"The field \"{member.Name}\" should be text, but it is a {KindOf(member.Value)}; it is ignored.",
                            member.Value.Span, "wrong-type");
                    }
                    return null;
            }
        }

        private ImmutableArray<Person> Names(string name)
        {
            if (!_members.TryGetValue(name, out var member)) return [];
            var people = ImmutableArray.CreateBuilder<Person>();
            switch (member.Value)
            {
                case CslList list:
                    foreach (var node in list.Items) AddName(people, node, name);
                    break;
                case CslScalar { Kind: CslScalarKind.String } scalar:
                    // "Doe, Jane and Roe, Richard": a BibTeX habit that pandoc users carry over to YAML.
                    foreach (var part in scalar.Value.Split(" and ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        AddName(people, scalar with { Value = part }, name);
                    break;
                default:
                    AddName(people, member.Value, name);
                    break;
            }
            return people.ToImmutable();
        }

        private void AddName(ImmutableArray<Person>.Builder people, CslNode node, string variable)
        {
            switch (node)
            {
                case CslScalar { Kind: CslScalarKind.Null }:
                    return;
                case CslScalar { Kind: CslScalarKind.String } scalar:
                    if (ParseNameString(scalar.Value) is { } parsed) people.Add(parsed);
                    return;
                case CslMap name:
                    if (ReadName(name) is { } person) people.Add(person);
                    else Warn($"This name in \"{variable}\" has no family, given or literal part; it is ignored.", name.Span, "empty-name");
                    return;
                default:
                    Warn($"Each name in \"{variable}\" should be a {dialect.Syntax} {dialect.MapWord} like {{family: ..., given: ...}}, but this is a {KindOf(node)}; it is ignored.",
                        node.Span, "wrong-type");
                    return;
            }
        }

        /// <summary>"Family, Given" splits at the comma; anything else is a name not to be split (an organisation).</summary>
        private static Person? ParseNameString(string text)
        {
            var clean = CslText.Clean(text);
            if (clean.Length == 0) return null;
            var comma = clean.IndexOf(',');
            if (comma < 0) return Person.Organisation(clean);
            var family = clean[..comma].Trim();
            var given = clean[(comma + 1)..].Trim();
            return family.Length == 0 ? Person.Organisation(clean) : new Person(family, given.Length == 0 ? null : given);
        }

        /// <summary>
        /// A CSL name object. Particles are folded into the family name in reading order
        /// ("de La Fontaine") and a suffix follows it ("King Jr."), since the paper model has no place for
        /// them and that is how the name is read aloud and sorted by most styles.
        /// </summary>
        private Person? ReadName(CslMap name)
        {
            string? Part(string key)
            {
                var member = name.Members.LastOrDefault(m => m.Name == key);
                if (member is null) return null;
                var text = Text(member, report: true);
                return text is null ? null : CslText.Clean(text) is { Length: > 0 } clean ? clean : null;
            }

            var literal = Part("literal");
            if (literal is not null) return Person.Organisation(literal);
            var dropping = Part("dropping-particle");
            var nonDropping = Part("non-dropping-particle");
            var family = JoinParticles(dropping, JoinParticles(nonDropping, Part("family")));
            var given = Part("given");
            if (Part("suffix") is { } suffix)
            {
                if (family is not null) family = $"{family} {suffix}";
                else given = given is null ? suffix : $"{given} {suffix}";
            }
            if (family is null && given is null) return null;
            // A dropping particle alone is kept as one, so that writing the paper back gives it again.
            return new Person(family, given) { DroppingParticle = nonDropping is null && dropping is not null && family != dropping && dropping[^1] is not ('\'' or '’' or '-') ? dropping : null };
        }

        private static string? JoinParticles(string? particle, string? rest)
        {
            if (particle is null) return rest;
            if (rest is null) return particle;
            // "d'" and "al-" bind to the name without a space.
            return particle[^1] is '\'' or '’' or '-' ? particle + rest : $"{particle} {rest}";
        }

        private PaperDate? ReadDate(CslMember member) => ReadDate(member.Name, member.Value);

        private PaperDate? ReadDate(string variable, CslNode node)
        {
            switch (node)
            {
                case CslScalar { Kind: CslScalarKind.Null }:
                    return null;
                case CslScalar scalar:
                    return scalar.Value.Trim().Length == 0 ? null : CslDates.ParseRaw(scalar.Value.Trim());
                case CslList list:
                    // Old citeproc YAML wrote [{year: 2005, month: 3}]; some tools write date-parts bare.
                    if (list.Items.FirstOrDefault() is CslMap first) return ReadDate(variable, first);
                    return FromParts(variable, list, null);
                case CslMap map:
                    string? Get(string key)
                    {
                        var m = map.Members.LastOrDefault(x => x.Name == key);
                        return m?.Value is CslScalar { Kind: not CslScalarKind.Null } s && s.Value.Trim().Length > 0 ? s.Value.Trim() : null;
                    }
                    var raw = Get("raw") ?? Get("literal");
                    var parts = map.Members.LastOrDefault(m => m.Name == "date-parts")?.Value;
                    if (parts is not null && FromParts(variable, parts, raw) is { } fromParts) return fromParts;
                    if (Get("year") is { } y && Number(y) is { } year)
                        return CslDates.FromParts(year, Get("month") is { } mo ? Number(mo) : null, Get("day") is { } d ? Number(d) : null, raw);
                    return raw is null ? null : CslDates.ParseRaw(raw);
                default:
                    return null;
            }
        }

        /// <summary>Date-parts [[y, m, d], [y2, ...]]: the first date of a range; numbers may be strings.</summary>
        private PaperDate? FromParts(string variable, CslNode node, string? raw)
        {
            if (node is not CslList outer || outer.Items.IsEmpty) return null;
            var first = outer.Items[0] is CslList inner ? inner : outer;
            if (first.Items.IsEmpty) return null;
            var numbers = first.Items.Select(n => n is CslScalar { Kind: CslScalarKind.String or CslScalarKind.Number } s ? Number(s.Value) : null).ToList();
            if (numbers.Any(n => n is null))
            {
                Warn($"The date-parts of \"{variable}\" should be numbers like [[2024, 3, 1]]; they are ignored.", node.Span, "bad-date");
                return null;
            }
            return CslDates.FromParts(numbers[0]!.Value, numbers.ElementAtOrDefault(1), numbers.ElementAtOrDefault(2), raw);
        }

        private static int? Number(string text)
        {
            text = text.Trim();
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e6
                ? (int)real : null;
        }

        private static string? Doi(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var doi = text.Trim();
            foreach (var prefix in (string[])["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"])
            {
                if (doi.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return doi[prefix.Length..].Trim();
            }
            return doi;
        }

        private string KindOf(CslNode node) => node switch
        {
            CslMap => $"{dialect.Syntax} {dialect.MapWord}",
            CslList => $"{dialect.Syntax} {dialect.ListWord}",
            CslScalar { Kind: CslScalarKind.Number } => "number",
            _ => "text",
        };

        private void Warn(string message, TextSpan span, string code) =>
            problems.Add(new Problem(Severity.Warning, message, span, dialect.CodePrefix + "-" + code));
    }

    private static readonly Dictionary<string, string> KnownByFoldedName = CslVariables.Texts
        .Concat(CslVariables.Names).Concat(CslVariables.Dates)
        .GroupBy(Fold).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>
    /// CSL variable names are exact ("URL", "container-title"), but hand-written YAML says "url" or
    /// "container_title"; such names are read as the variable they clearly mean.
    /// </summary>
    internal static string CanonicalName(string name) =>
        KnownByFoldedName.TryGetValue(Fold(name), out var known) ? known : name;

    private static string Fold(string name) => name.Replace('_', '-').ToLowerInvariant();
}

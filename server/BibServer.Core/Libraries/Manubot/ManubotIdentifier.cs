using System.Text.RegularExpressions;

namespace BibServer.Core.Libraries.Manubot;

/// <summary>
/// A citation of a persistent identifier as Manubot writes them (<c>@doi:10.1371/...</c>,
/// <c>@arxiv:1512.03385</c>, <c>@tag:name</c>): the kind, the accession after the colon, and what is wrong
/// with the accession, if anything. Manubot resolves these when the manuscript is built, so they name no
/// entry of a library and are not unknown keys.
/// </summary>
public sealed partial record ManubotIdentifier(string Prefix, string Accession, string? Problem)
{
    /// <summary>The identifier as Manubot's cache names it (its <c>standard_id</c>): DOIs in lower case.</summary>
    public string StandardId => Prefix == "doi" ? "doi:" + Accession.ToLowerInvariant() : Prefix + ":" + Accession;

    /// <summary>"a DOI", "an arXiv identifier", ...: for messages.</summary>
    public string Kind => Prefix switch
    {
        "doi" => "a DOI",
        "arxiv" => "an arXiv identifier",
        "pmid" => "a PubMed identifier",
        "pmcid" => "a PubMed Central identifier",
        "isbn" => "an ISBN",
        "url" => "a URL",
        "wikidata" => "a Wikidata item",
        _ => "a citation tag",
    };

    /// <summary>The identifier a key is, or null for a key with no Manubot prefix (an ordinary citation key).</summary>
    public static ManubotIdentifier? Parse(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0) return null;
        var prefix = key[..colon].ToLowerInvariant();
        var accession = key[(colon + 1)..];
        var problem = prefix switch
        {
            // Manubot's rules (manubot.cite): a DOI is 10.<registrant>/<suffix>, or a shortDOI 10/<code>.
            "doi" => Doi().IsMatch(accession) ? null : "a DOI starts with `10.`, then the registrant's number, a `/` and the item's suffix (`doi:10.1371/journal.pcbi.1007128`)",
            "arxiv" => Arxiv().IsMatch(accession) ? null : "an arXiv identifier is `YYMM.NNNNN` with an optional version (`arxiv:1512.03385v1`), or an old-style `archive/NNNNNNN`",
            "pmid" => Digits().IsMatch(accession) ? null : "a PubMed identifier is a number (`pmid:29424689`)",
            "pmcid" => Pmcid().IsMatch(accession) ? null : "a PubMed Central identifier is `PMC` and a number (`pmcid:PMC4497074`)",
            "isbn" => IsIsbn(accession) ? null : "an ISBN has 10 or 13 digits (the last of ten may be `X`), hyphens allowed",
            "url" => accession.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || accession.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? null : "a URL citation starts with `http://` or `https://`",
            "wikidata" => Wikidata().IsMatch(accession) ? null : "a Wikidata item is `Q` and a number (`wikidata:Q50051684`)",
            "tag" => accession.Length > 0 ? null : "a tag needs a name",
            _ => "",
        };
        return problem == "" ? null : new ManubotIdentifier(prefix, accession, problem);
    }

    private static bool IsIsbn(string accession)
    {
        var digits = accession.Replace("-", "").Replace(" ", "");
        if (digits.Length == 13) return digits.All(char.IsAsciiDigit);
        return digits.Length == 10 && digits[..9].All(char.IsAsciiDigit) && (char.IsAsciiDigit(digits[9]) || digits[9] is 'X' or 'x');
    }

    [GeneratedRegex(@"^10\.[0-9]{4,9}/\S+$|^10/[A-Za-z0-9]+$")]
    private static partial Regex Doi();

    [GeneratedRegex(@"^[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?$|^[a-z\-]+(\.[A-Z]{2})?/[0-9]{7}(v[0-9]+)?$")]
    private static partial Regex Arxiv();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^PMC[0-9]+$")]
    private static partial Regex Pmcid();

    [GeneratedRegex(@"^Q[0-9]+$")]
    private static partial Regex Wikidata();
}

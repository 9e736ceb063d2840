using System.Xml;
using System.Xml.Linq;

namespace BibServer.Core.Styles;

/// <summary>
/// A CSL style as its XML text, checked enough to hand to citeproc-js: well-formed XML whose root is a CSL
/// <c>style</c> with a <c>citation</c>. <see cref="Name"/> tells the styles apart in memo tables and messages
/// (the shipped style's name, or the path of a user's file).
/// </summary>
public sealed class CslStyle
{
    public const string Namespace = "http://purl.org/net/xbiblio/csl";

    /// <summary>The default style, as pandoc's: Chicago author-date.</summary>
    public const string DefaultName = "chicago-author-date";

    private CslStyle(string name, string xml, bool hasBibliography, string? defaultLocale)
    {
        Name = name;
        Xml = xml;
        HasBibliography = hasBibliography;
        DefaultLocale = defaultLocale;
    }

    public string Name { get; }

    public string Xml { get; }

    /// <summary>Whether the style says how to print a reference list (a few citation-only styles do not).</summary>
    public bool HasBibliography { get; }

    /// <summary>The style's <c>default-locale</c>, which citeproc-js uses when the note names no language.</summary>
    public string? DefaultLocale { get; }

    /// <summary>The style, or why it cannot be used (a sentence for a diagnostic). Never throws.</summary>
    public static (CslStyle? Style, string? Error) Parse(string name, string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            return (null, $"is not well-formed XML ({e.Message})");
        }
        if (document.Root is not { } root || root.Name != XName.Get("style", Namespace))
            return (null, "is not a CSL style (its root element is not <style> in the CSL namespace)");
        if (root.Element(XName.Get("citation", Namespace)) is null)
            return (null, "has no <citation> element");
        var hasBibliography = root.Element(XName.Get("bibliography", Namespace)) is not null;
        return (new CslStyle(name, xml, hasBibliography, (string?)root.Attribute("default-locale")), null);
    }

    public override string ToString() => Name;
}

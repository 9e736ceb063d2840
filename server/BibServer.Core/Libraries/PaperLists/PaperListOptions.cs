using System.Collections.Immutable;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>How paper lists are read. <see cref="Default"/> is what the server uses.</summary>
public sealed record PaperListOptions
{
    public static PaperListOptions Default { get; } = new();

    /// <summary>
    /// Names of web sites that scraped titles end with (<c>... - Machine Intelligence Research Institute</c>).
    /// Such a suffix is taken off the title and kept as the paper's publisher. Compared without regard to case.
    /// </summary>
    public ImmutableArray<string> SiteNames { get; init; } =
    [
        "Machine Intelligence Research Institute",
        "MIRI",
        "LessWrong",
        "AI Alignment Forum",
        "Alignment Forum",
        "Effective Altruism Forum",
        "EA Forum",
        "Medium",
        "Substack",
        "OpenAI",
        "Anthropic",
        "Google DeepMind",
        "DeepMind",
        "Google Research",
        "Google AI Blog",
        "Hugging Face",
        "arXiv",
        "arXiv.org",
        "ResearchGate",
        "Semantic Scholar",
        "Papers with Code",
        "OpenReview",
        "ACL Anthology",
        "Towards Data Science",
        "The Gradient",
        "Distill",
        "YouTube",
        "Wikipedia",
    ];
}

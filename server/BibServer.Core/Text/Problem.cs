namespace BibServer.Core.Text;

public enum Severity
{
    Error,
    Warning,
    Information,
    Hint,
}

/// <summary>
/// Something wrong with an input, at a span of the text it was found in. Parsers return these beside
/// their value and never throw: bad input is reported and the rest of the file is still served.
/// </summary>
public sealed record Problem(Severity Severity, string Message, TextSpan Span, string Code = "");

using BibServer.Conversion;
using BibServer.Core.Features;
using BibServer.Core.Text;
using BibServer.Documents;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Documents;

/// <summary>FromProto and ToProto: the two places where LSP positions and the core's offsets meet.</summary>
public class ConversionTests
{
    // "😀 [@a]" is 7 UTF-16 code units (the emoji is two); with its CRLF, line 1 starts at offset 9.
    private static readonly OpenDocument Document = OpenDocument.Create("file:///a.md", 1, "😀 [@a]\r\nline2");

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 3, 3)]
    [InlineData(0, 7, 7)]
    [InlineData(1, 0, 9)]
    [InlineData(1, 5, 14)]
    // Past the end of a line means its end, before the line break (the specification's rule).
    [InlineData(0, 50, 7)]
    [InlineData(1, 50, 14)]
    public void A_position_becomes_an_offset(int line, int character, int offset)
    {
        Assert.Equal(offset, FromProto.Offset(Document, new LSP.Position(line, character)));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void A_position_outside_the_document_is_invalid_params(int line, int character)
    {
        var error = Assert.Throws<LocalRpcException>(() => FromProto.Offset(Document, new LSP.Position(line, character)));

        Assert.Equal(LSP.ErrorCodes.InvalidParams, error.ErrorCode);
        Assert.Contains("outside file:///a.md, which has 2 lines", error.Message);
    }

    [Theory]
    [InlineData(3, 0, 3)]
    [InlineData(9, 1, 0)]
    [InlineData(14, 1, 5)]
    public void An_offset_becomes_a_position(int offset, int line, int character)
    {
        Assert.Equal(new LSP.Position(line, character), ToProto.Position(Document.Lines, offset));
    }

    [Fact]
    public void A_problem_becomes_a_diagnostic_with_its_severity_code_and_range()
    {
        var problem = new Problem(Severity.Warning, "No paper has the key 'a'.", new TextSpan(4, 2), "unknown-key");

        var diagnostic = ToProto.Diagnostic(Document.Lines, new FileDiagnostic(problem, ""));

        Assert.Equal(new LSP.Range(new(0, 4), new(0, 6)), diagnostic.Range);
        Assert.Equal(LSP.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("unknown-key", diagnostic.Code);
        Assert.Equal("bibserver", diagnostic.Source);
        Assert.Equal("No paper has the key 'a'.", diagnostic.Message);
    }

    [Fact]
    public void A_problem_without_a_code_has_none_in_the_diagnostic()
    {
        Assert.Null(ToProto.Diagnostic(Document.Lines, new FileDiagnostic(new Problem(Severity.Error, "Broken.", new TextSpan(0, 1)), "")).Code);
    }
}

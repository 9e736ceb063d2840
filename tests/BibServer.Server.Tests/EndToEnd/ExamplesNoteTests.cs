using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// The built server, as a process over JSON-RPC, on a copy of examples/: what a user sees when opening and
/// typing in the example notes. Diagnostics are written as <c>line:col-line:col severity code: message</c>.
/// </summary>
public sealed class ExamplesNoteTests
{
    internal const string UmarsignlError =
        "error unknown-key: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`.";

    [Fact]
    public async Task Opening_the_survey_shows_its_one_broken_citation_and_nothing_else()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        var text = ws.Read(Survey);

        var key = RangeOf(text, "umarsignl", after: "[@umarsignl]");
        await ws.WaitForDiagnosticsAsync(uri, 1, [$"{Show(key)} {UmarsignlError}"]);

        // No publish before the libraries were read may claim that every citation is broken.
        var published = ws.Client.DiagnosticsFor(uri).Select(d => string.Join(" | ", d.Diagnostics.Select(Show))).ToList();
        Assert.True(published.All(d => d == $"{Show(key)} {UmarsignlError}"),
            $"Published:\n{string.Join("\n", published)}\nServer log:\n{string.Join("\n", ws.Client.LogMessages.Select(m => m.Message))}");
    }

    [Theory]
    [InlineData("@umarsignal show", 3, "umarsignal")]          // In the key.
    [InlineData("@umarsignal show", 0, "umarsignal")]          // On the @.
    [InlineData("@rangamanideep, sec. 3", 5, "rangamanideep")] // The second item of a group.
    public async Task Hover_on_a_citation_shows_the_papers_title_authors_and_abstract(string near, int delta, string key)
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        var text = ws.Read(Survey);
        await ws.WaitForIndexedAsync(95);

        var hover = await ws.Client.HoverAsync(uri, PositionOf(text, near, delta).Line, PositionOf(text, near, delta).Character);

        Assert.NotNull(hover);
        Assert.Equal(LSP.MarkupKind.Markdown, hover.Contents.Kind);
        Assert.Equal(Show(RangeOf(text, key, after: near)), Show(hover.Range!));
        var expected = Expected(key);
        // The reference as Chicago author-date (the default style) prints it comes first.
        Assert.Contains(expected.Title, hover.Contents.Value.Split("\n\n")[0]);
        Assert.Contains(expected.Abstract, hover.Contents.Value);
    }

    /// <summary>What the example paper lists say about three papers (titles and abstracts copied from the list files, in Markdown).</summary>
    private static (string Title, string Authors, string Abstract) Expected(string key) => key switch
    {
        "umarsignal" => ("Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks",
            "Ali Hussaini Umar, Alessandro Laio",
            "We show that the signal-to-noise ratio (SNR) and the training sample size influence the alignment"),
        "rangamanideep" => ("Deep Neural Regression Collapse", "Akshay Rangamani, Altay Unal",
            "Neural Collapse is a phenomenon that helps identify sparse and low rank structures in deep classifiers."),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    [Fact]
    public async Task Hover_on_a_cross_reference_gives_nothing()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Encodings);
        var text = ws.Read(Encodings);
        await ws.WaitForIndexedAsync(95);

        var at = PositionOf(text, "@fig-rope", 2);
        Assert.Null(await ws.Client.HoverAsync(uri, at.Line, at.Character));
    }

    [Theory]
    [InlineData("Boursi", "townmildly")]          // An author's family name, begun.
    [InlineData("sgdnoise", "alignmentproperty")] // Words of the title, run together.
    public async Task Completion_finds_papers_by_author_and_title_words(string typed, string first)
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);

        var line = await ws.AppendLineAsync(uri, "More: [@" + typed);
        var list = await ws.Client.CompletionAsync(uri, line, "More: [@".Length + typed.Length);

        Assert.True(list.IsIncomplete);
        Assert.InRange(list.Items.Count, 1, 100);
        Assert.Equal(first, list.Items[0].Label);
        var edit = list.Items[0].TextEdit!;
        Assert.Equal($"{line}:8-{line}:{8 + typed.Length}", Show(edit.Range));
        Assert.Equal(first, edit.NewText);
        Assert.All(list.Items, item => Assert.Equal(typed, item.FilterText));
        // A client that cannot resolve items gets each one's documentation in the list.
        Assert.All(list.Items, item => Assert.StartsWith("**", item.Documentation!.Value));
    }

    [Fact]
    public async Task A_client_that_resolves_items_gets_the_documentation_when_it_asks_for_it()
    {
        var full = LspTestClient.FullCapabilities;
        await using var ws = await StartAsync(capabilities: full with
        {
            TextDocument = full.TextDocument! with
            {
                Completion = new LSP.CompletionClientCapabilities(new LSP.CompletionItemClientCapabilities(
                    ResolveSupport: new LSP.CompletionItemResolveSupport(["documentation", "detail"]))),
            },
        });
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);

        var line = await ws.AppendLineAsync(uri, "[@umars");
        var list = await ws.Client.CompletionAsync(uri, line, "[@umars".Length);

        var item = list.Items[0];
        Assert.Equal("umarsignal", item.Label);
        Assert.Null(item.Documentation);
        Assert.StartsWith("Umar & Laio", item.Detail);
        await ws.Client.WaitForStylesAsync();
        var resolved = await ws.Client.RequestAsync<LSP.CompletionItem>(CompletionHandlerMethod, item);
        // The reference as the default style prints it, then the title and the rest.
        Assert.StartsWith($"Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio", resolved.Documentation!.Value);
        Assert.Contains($"**{Expected("umarsignal").Title}**", resolved.Documentation.Value);
        Assert.Contains(Expected("umarsignal").Abstract, resolved.Documentation.Value);
        Assert.Equal(item with { Documentation = resolved.Documentation, Data = resolved.Data }, resolved);
    }

    private const string CompletionHandlerMethod = "completionItem/resolve";

    [Fact]
    public async Task Completion_in_the_middle_of_a_key_replaces_the_whole_key()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        var text = ws.Read(Survey);
        await ws.WaitForIndexedAsync(95);

        var at = PositionOf(text, "@townmildly", "@town".Length);
        var list = await ws.Client.CompletionAsync(uri, at.Line, at.Character);

        Assert.True(list.IsIncomplete);
        Assert.InRange(list.Items.Count, 1, 100);
        Assert.Equal("townmildly", list.Items[0].Label);
        Assert.All(list.Items, item => Assert.Equal(Show(RangeOf(text, "townmildly")), Show(item.TextEdit!.Range)));
    }

    [Fact]
    public async Task Completion_of_a_single_letter_offers_at_most_a_hundred_papers()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);

        var line = await ws.AppendLineAsync(uri, "[@a");
        var list = await ws.Client.CompletionAsync(uri, line, 3);

        Assert.True(list.IsIncomplete);
        Assert.InRange(list.Items.Count, 2, 100);
        Assert.Equal(list.Items.Count, list.Items.Select(i => i.Label).Distinct().Count());
    }

    [Fact]
    public async Task Breaking_a_key_by_typing_flags_it_for_that_version_and_fixing_it_clears_it()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        var umarsignl = Show(RangeOf(ws.Read(Survey), "umarsignl", after: "[@umarsignl]"));
        await ws.WaitForDiagnosticsAsync(uri, 1, [$"{umarsignl} {UmarsignlError}"]);

        // Version 2 fixes the deliberately broken key: nothing is left.
        await ws.ReplaceAsync(uri, "umarsignl]", "umarsignal]");
        await ws.WaitForDiagnosticsAsync(uri, 2, []);

        // Version 3 breaks a good key with one typed character, version 4 deletes it again.
        var at = PositionOf(ws.Client.TextOf(uri), "@townmildly", "@town".Length);
        await ws.Client.InsertAsync(uri, at.Line, at.Character, "x");
        await ws.WaitForDiagnosticsAsync(uri, 3,
            [$"{at.Line}:{at.Character - 4}-{at.Line}:{at.Character + 7} error unknown-key: Unknown citation key `townxmildly`: no library of this note has it. Closest: `townmildly`."]);
        await ws.Client.ChangeAsync(uri, at.Line, at.Character, at.Line, at.Character + 1, "");
        await ws.WaitForDiagnosticsAsync(uri, 4, []);
    }

    [Fact]
    public async Task A_hover_while_the_citation_engine_loads_answers_with_the_fields_and_the_next_with_the_reference()
    {
        // The engine loads after the note's first diagnostics, in 250-500 ms: this hover, sent with the note's opening
        // (so answered once the library is read, with the first diagnostics), comes while it loads, and is not made to
        // wait for it (issue 15: the engine loads off the request path). It shows the paper's fields, its title first
        // in bold. A machine slow enough to answer it only after the load gets a new server, twice at most: the test
        // needs a hover during the load, and says so if it never got one.
        for (var attempt = 1; ; attempt++)
        {
            await using var ws = await StartAsync();
            var uri = await ws.OpenAsync(Survey);
            var hover = await ws.Client.HoverAsync(uri, 8, 2);
            if (ws.Client.LogMessages.Any(m => m.Message.Contains("Warmed citeproc-js up", StringComparison.Ordinal)))
            {
                Assert.True(attempt < 3, "The engine had loaded before the hover was answered, three times: this test needs a hover during its load.");
                continue;
            }
            Assert.StartsWith($"**{Expected("umarsignal").Title}**", hover!.Contents.Value);
            // Once the engine is there, what that hover would have shown is rendered: the next hover leads with the reference.
            var rendered = await ws.Client.HoverRenderedAsync(uri, 8, 2);
            Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio", rendered!.Contents.Value);
            Assert.Contains(Expected("umarsignal").Abstract, rendered.Contents.Value);
            return;
        }
    }

    [Fact]
    public async Task Columns_are_UTF16_code_units_after_astral_characters()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);

        // Each emoji is one code point but two UTF-16 code units: the key after "😀🎉 [@" starts at column 7, not 5.
        var line = await ws.AppendLineAsync(uri, "😀🎉 [@umarsignalx] and @umarsignal.");

        var published = await ws.Client.WaitForDiagnosticsAsync(uri, d => d.Version == 2);
        Assert.Contains($"{line}:7-{line}:18", published.Diagnostics.Select(d => Show(d.Range)));
        await ws.Client.WaitForStylesAsync();
        var hover = await ws.Client.HoverAsync(uri, line, 27);
        Assert.Equal($"{line}:25-{line}:35", Show(hover!.Range!));
        Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio", hover.Contents.Value);
    }
}

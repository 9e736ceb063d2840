using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary><c>bibserver check</c> as CI runs it: the built dll as a process, its output lines and its exit code.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Checking_the_examples_prints_the_two_broken_citations_and_exits_1()
    {
        var (code, stdout, stderr) = await RunAsync(TestData.Root, "check", "examples");

        Assert.Equal(
        [
            "examples/notes/alignment-survey.md:26:60: error: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`.",
            "examples/notes/positional-encodings.md:19:50: error: Unknown citation key `safety2023alignment`: no library of this note has it. " +
                "Closest: `safety2024alignment`, `alignment2025safety`, `alignment2023honesty`.",
        ], Lines(stdout));
        Assert.Equal(
        [
            "examples: 95 papers in 5 libraries (from bibserver.yaml)",
            "checked 3 notes, 29 citations: 2 errors, 0 warnings",
        ], Lines(stderr));
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Checking_a_folder_without_broken_citations_exits_0()
    {
        var root = ExamplesWorkspace.Copy(copy =>
        {
            Mend(Path.Combine(copy, ExamplesWorkspace.Survey), "[@umarsignl]", "[@umarsignal]");
            Mend(Path.Combine(copy, ExamplesWorkspace.Encodings), "[@safety2023alignment]", "[@safety2024alignment]");
        });
        try
        {
            var (code, stdout, stderr) = await RunAsync(root, "check", ".");

            Assert.Empty(Lines(stdout));
            Assert.Equal("checked 3 notes, 29 citations: 0 errors, 0 warnings", Lines(stderr)[^1]);
            Assert.Equal(0, code);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_citation_style_that_cannot_be_used_is_a_warning_at_its_value_wherever_it_is_named()
    {
        var root = Directory.CreateTempSubdirectory("bibserver-check-csl").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "refs.bib"), "@article{a, title={A Title}, author={Doe, Jane}, year={2020}}\n");
            File.WriteAllText(Path.Combine(root, "bibserver.yaml"), "libraries: [refs.bib]\ncsl: nosuch.csl\n");
            File.WriteAllText(Path.Combine(root, "broken.csl"), "<?xml version=\"1.0\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\"><citation>");
            File.WriteAllText(Path.Combine(root, "notastyle.csl"), "<?xml version=\"1.0\"?>\n<html><body>Not a style</body></html>");
            File.WriteAllText(Path.Combine(root, "broken.md"), "---\ncsl: broken.csl\n---\nSee [@a].\n");
            File.WriteAllText(Path.Combine(root, "html.md"), "---\ncsl: notastyle.csl\n---\nSee [@a].\n");
            File.WriteAllText(Path.Combine(root, "shipped.md"), "---\ncsl: apa\n---\nSee [@a].\n");

            var (code, stdout, stderr) = await RunAsync(root, "check", ".");

            var lines = Lines(stdout);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("bibserver.yaml:2:6: warning: The citation style `nosuch.csl` cannot be read: no such file;", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("broken.md:2:6: warning: The citation style `broken.csl` is not well-formed XML", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("html.md:2:6: warning: The citation style `notastyle.csl` is not a CSL style", StringComparison.Ordinal));
            Assert.All(lines, l => Assert.EndsWith("references are shown in Chicago author-date instead.", l));
            Assert.Equal("checked 3 notes, 3 citations: 0 errors, 3 warnings", Lines(stderr)[^1]);
            Assert.Equal(0, code);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Mend(string path, string broken, string mended)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(broken, text);
        File.WriteAllText(path, text.Replace(broken, mended));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var result = await BibServerProcess.RunAsync(workingDirectory, arguments);
        return (result.Code, result.Stdout, result.Stderr);
    }
}

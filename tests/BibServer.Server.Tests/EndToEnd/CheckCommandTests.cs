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

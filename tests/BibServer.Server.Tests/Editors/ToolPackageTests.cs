namespace BibServer.Server.Tests.Editors;

/// <summary>
/// The server as a .NET tool, the way editors other than VS Code get it: `dotnet pack` makes the package,
/// `dotnet tool install` puts a `bibserver` command in a tool folder, and that command checks the examples.
/// </summary>
public class ToolPackageTests
{
    // Packed in the configuration the tests were built in, so that the build behind the pack is one that is
    // already there; the package is the same apart from the compiler's optimisations.
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_packed_tool_installs_as_bibserver_and_checks_the_examples()
    {
        using var temp = new TempFolder();
        var packages = Path.Combine(temp.Path, "packages");
        var tools = Path.Combine(temp.Path, "tools");

        var pack = await Dotnet(
            ["pack", Path.Combine(TestData.Root, "server", "BibServer"), "-c", Configuration, "-o", packages, "--nologo",
                // No build servers left running: they would hold the output pipes open after dotnet ends.
                "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            TestData.Root);
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack}");
        Assert.Equal(["BibServer.0.1.0.nupkg"], Directory.GetFiles(packages).Select(Path.GetFileName));

        // A NuGet configuration with the folder as the only source: the test installs what it packed, never a
        // package of the same name from nuget.org, and needs no network.
        var config = Path.Combine(temp.Path, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var install = await Dotnet(["tool", "install", "--tool-path", tools, "--configfile", config, "BibServer"], temp.Path);
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install}");
        Assert.Contains("Tool 'bibserver' (version '0.1.0') was successfully installed.", install.Stdout);

        var bibserver = Path.Combine(tools, "bibserver");
        Assert.True(File.Exists(bibserver), $"No bibserver command in {tools}: {string.Join(", ", Directory.GetFileSystemEntries(tools))}");

        var version = await ExternalProgram.RunAsync(bibserver, ["--version"], Limit);
        Assert.Equal((0, "0.1.0"), (version.ExitCode, version.Stdout.Trim()));

        // Run from the repository, as a user in their notes folder would: paths are printed relative to it.
        var check = await ExternalProgram.RunAsync(bibserver, ["check", "examples"], Limit, workingDirectory: TestData.Root);
        Assert.True(check.ExitCode == 1, $"Expected exit code 1 for the two broken citations:\n{check}");
        // The closest keys are the core's business; here it is the two errors, where they are, and the exit code.
        Assert.Collection(check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.StartsWith("examples/notes/alignment-survey.md:26:60: error: Unknown citation key `umarsignl`", line),
            line => Assert.StartsWith("examples/notes/positional-encodings.md:19:50: error: Unknown citation key `safety2023alignment`", line));
        Assert.Contains("checked 3 notes, 29 citations: 2 errors, 0 warnings", check.Stderr);
    }

    private static Task<ProgramRun> Dotnet(string[] arguments, string workingDirectory) =>
        ExternalProgram.RunAsync("dotnet", arguments, Limit, workingDirectory, new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        });
}

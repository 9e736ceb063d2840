using BibServer.Loading;

namespace BibServer.Server.Tests.Host;

/// <summary>Which files the server watches, and finding library files from the "libraries" setting.</summary>
public class FileWatchingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-libraries-").FullName;

    [Theory]
    [InlineData("/notes/refs.bib", true)]
    [InlineData("/notes/refs.BIBTEX", true)]
    [InlineData("/notes/survey.md", true)]
    [InlineData("/notes/survey.qmd", true)]
    [InlineData("/notes/papers.json", true)]
    [InlineData("/notes/bibserver.yaml", true)]
    [InlineData("/notes/seeds/000_list.txt", true)]
    [InlineData("/notes/figure.png", false)]
    [InlineData("/notes/node_modules/pkg/readme.md", false)]
    [InlineData("/notes/.git/description.txt", false)]
    [InlineData("/notes/bin/Debug/x.json", false)]
    [InlineData("/notes/obj/project.assets.json", false)]
    public void Watches_libraries_notes_and_settings_outside_build_and_tool_folders(string path, bool watched)
    {
        Assert.Equal(watched, FileWatching.IsWatched(path));
    }

    [Fact]
    public void Finds_library_files_by_path_and_glob_relative_to_the_root_or_absolute_in_the_order_named()
    {
        Write("refs.bib");
        Write("papers/a.json");
        Write("papers/deep/b.json");
        Write("papers/node_modules/c.json");
        Write("other/d.bib");

        var found = BibServer.Loading.WorkspaceFiles.Expand(_root, ["refs.bib", "papers/**/*.json", Path.Combine(_root, "other", "*.bib"), "missing.bib"]);

        // A plain name that does not exist is kept, so that it can be reported missing.
        Assert.Equal(["refs.bib", "papers/a.json", "papers/deep/b.json", "other/d.bib", "missing.bib"],
            found.Select(file => Path.GetRelativePath(_root, file).Replace('\\', '/')));
    }

    private void Write(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

namespace BibServer.Core.Tests;

/// <summary>Finds the repository's test data on disk: tests read real files, never inline copies of them.</summary>
public static class TestData
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, "tests", "testdata", .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "BibServer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("BibServer.sln not found above " + AppContext.BaseDirectory);
    }
}

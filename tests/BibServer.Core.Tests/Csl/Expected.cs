namespace BibServer.Core.Tests.Csl;

/// <summary>
/// Compares an output with the expected file beside its fixture. Set BIBSERVER_ACCEPT=1 to (re)write expected
/// files; a missing expected file is written and the test fails, so that it is read before it is committed.
/// </summary>
internal static class Expected
{
    public static void Matches(string expectedPath, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        var accept = Environment.GetEnvironmentVariable("BIBSERVER_ACCEPT") == "1";
        if (accept || !File.Exists(expectedPath))
        {
            var existed = File.Exists(expectedPath);
            File.WriteAllText(expectedPath, actual);
            if (!accept) Assert.Fail($"{expectedPath} did not exist; it was written from this run. Review it, then run again.");
            if (existed) return;
        }
        var expected = File.ReadAllText(expectedPath).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }
}

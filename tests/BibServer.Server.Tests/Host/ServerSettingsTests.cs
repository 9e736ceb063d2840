using System.Text.Json;

namespace BibServer.Server.Tests.Host;

/// <summary>Settings as clients send them (JSON) and what the server reads from them, written out as text.</summary>
public class ServerSettingsTests
{
    [Theory]
    [InlineData("""{"libraries": ["refs.bib", "papers/**/*.json"], "logLevel": "debug"}""",
        "libraries=[refs.bib, papers/**/*.json] logLevel=Debug trace=")]
    [InlineData("""{"bibserver": {"libraries": "refs.bib", "trace": {"server": "verbose"}}}""",
        "libraries=[refs.bib] logLevel= trace=verbose")]
    [InlineData("""{"trace": "messages", "unknownSetting": 3}""",
        "libraries=[] logLevel= trace=messages")]
    [InlineData("null", "libraries=[] logLevel= trace=")]
    [InlineData("[]", "libraries=[] logLevel= trace=")]
    [InlineData("""{"libraries": ["a.bib", 3, ""], "logLevel": "loud", "trace": "everything"}""",
        """
        libraries=[a.bib] logLevel= trace=
        A "libraries" entry is not a file name or glob (3), so it was ignored.
        A "libraries" entry is not a file name or glob (""), so it was ignored.
        The "logLevel" setting "loud" is not one of trace, debug, information, warning, error, none, so it was ignored.
        The "trace" setting "everything" is not one of off, messages, verbose, so it was ignored.
        """)]
    [InlineData("""{"bibserver": 5}""",
        """
        libraries=[] logLevel= trace=
        The "bibserver" settings section is not an object, so it was ignored.
        """)]
    public void Reads_settings(string json, string expected)
    {
        var (settings, problems) = ServerSettings.Parse(JsonDocument.Parse(json).RootElement);

        var actual = string.Join("\n",
            [$"libraries=[{string.Join(", ", settings.Libraries)}] logLevel={settings.LogLevel} trace={settings.Trace}", .. problems]);
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void No_settings_at_all_are_the_defaults()
    {
        var (settings, problems) = ServerSettings.Parse(null);

        Assert.Same(ServerSettings.Default, settings);
        Assert.Empty(problems);
    }
}

using System.Text;
using BibServer.Loading;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// A library's text as the server reads it is the text File.ReadAllText gives, for small files (read whole)
/// and large ones (read in chunks of a megabyte, characters split across chunks, byte order marks, bad bytes).
/// </summary>
public class ReadTextTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-read-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// BibTeX-like lines with two-, three- and four-byte characters, so that chunk boundaries fall inside them,
    /// up to <paramref name="bytes"/> bytes.
    /// </summary>
    private static byte[] Library(int bytes, byte[]? prefix = null, bool badBytes = false)
    {
        var data = new List<byte>(bytes + 256);
        data.AddRange(prefix ?? []);
        for (var i = 0; data.Count < bytes; i++)
        {
            data.AddRange(Encoding.UTF8.GetBytes($"@article{{k{i}, title = {{Zo\u00eb \u2013 Erd\u0151s \U0001F600 {i}}}}}\n"));
            if (badBytes && i % 1000 == 0) data.AddRange([0xC3, 0x28, 0xFF]);
        }
        return [.. data];
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_root, $"{Guid.NewGuid():N}.bib");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, int, string, bool> Files => new()
    {
        { "small, no mark", 10_000, "", false },
        { "large, no mark", FileReading.ChunkedReadFrom + 3_000_017, "", false },
        { "large, UTF-8 mark", FileReading.ChunkedReadFrom + 1_000_003, "utf8", false },
        { "large, bad bytes", FileReading.ChunkedReadFrom + 2_000_001, "", true },
        { "large, UTF-16 mark", FileReading.ChunkedReadFrom + 10, "utf16", false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_reads_as_ReadAllText_reads_it(string what, int size, string mark, bool badBytes)
    {
        byte[] bytes = mark == "utf16"
            ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Library(size / 2)))]
            : Library(size, mark == "utf8" ? Encoding.UTF8.GetPreamble() : null, badBytes);
        var path = Write(bytes);

        var text = FileReading.ReadText(path);

        var expected = File.ReadAllText(path);
        Assert.True(expected.Length == text.Length, $"{what}: {text.Length} characters read, ReadAllText reads {expected.Length}");
        Assert.True(expected == text, $"{what}: the text differs at character {expected.Zip(text).TakeWhile(p => p.First == p.Second).Count()}");
    }

    [Fact]
    public void An_empty_file_reads_as_empty_text() => Assert.Equal("", FileReading.ReadText(Write([])));
}

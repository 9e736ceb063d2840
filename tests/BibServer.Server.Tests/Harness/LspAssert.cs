using StreamJsonRpc;

namespace BibServer.Server.Tests.Harness;

internal static class LspAssert
{
    /// <summary>
    /// Asserts that a request fails with an LSP error code and returns the error's message. StreamJsonRpc
    /// raises different exception types by code (InvalidParams and MethodNotFound arrive as
    /// RemoteMethodNotFoundException), so the code decides, not the type.
    /// </summary>
    public static async Task<string> ErrorAsync(int code, Func<Task> request)
    {
        var error = await Assert.ThrowsAnyAsync<RemoteRpcException>(request);
        var actual = error switch
        {
            RemoteInvocationException invocation => invocation.ErrorCode,
            RemoteMethodNotFoundException notFound => (int)notFound.ErrorCode,
            _ => (int?)error.ErrorCode,
        };
        Assert.True(code == actual, $"Expected error {code}, got {actual}: {error.Message}");
        return error.Message;
    }
}

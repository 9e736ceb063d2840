namespace BibServer.Protocol;

/// <summary>The method names of the specification, in one place, so handlers and tests spell them alike.</summary>
internal static class Methods
{
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string CancelRequest = "$/cancelRequest";
    public const string SetTrace = "$/setTrace";
    public const string LogTrace = "$/logTrace";
    public const string Progress = "$/progress";

    public const string TextDocumentDidOpen = "textDocument/didOpen";
    public const string TextDocumentDidChange = "textDocument/didChange";
    public const string TextDocumentDidClose = "textDocument/didClose";
    public const string TextDocumentDidSave = "textDocument/didSave";
    public const string TextDocumentPublishDiagnostics = "textDocument/publishDiagnostics";
    public const string TextDocumentHover = "textDocument/hover";
    public const string TextDocumentCompletion = "textDocument/completion";
    public const string TextDocumentDefinition = "textDocument/definition";
    public const string TextDocumentReferences = "textDocument/references";
    public const string TextDocumentPrepareRename = "textDocument/prepareRename";
    public const string TextDocumentRename = "textDocument/rename";
    public const string TextDocumentCodeAction = "textDocument/codeAction";
    public const string TextDocumentCodeLens = "textDocument/codeLens";
    public const string CodeLensResolve = "codeLens/resolve";
    public const string TextDocumentDocumentSymbol = "textDocument/documentSymbol";
    public const string TextDocumentDiagnostic = "textDocument/diagnostic";

    public const string WorkspaceSymbol = "workspace/symbol";
    public const string WorkspaceExecuteCommand = "workspace/executeCommand";
    public const string WorkspaceDidChangeConfiguration = "workspace/didChangeConfiguration";
    public const string WorkspaceDidChangeWatchedFiles = "workspace/didChangeWatchedFiles";
    public const string WorkspaceDidChangeWorkspaceFolders = "workspace/didChangeWorkspaceFolders";
    public const string WorkspaceConfiguration = "workspace/configuration";
    public const string WorkspaceApplyEdit = "workspace/applyEdit";
    public const string WorkspaceDiagnostic = "workspace/diagnostic";
    public const string WorkspaceDiagnosticRefresh = "workspace/diagnostic/refresh";

    public const string WindowLogMessage = "window/logMessage";
    public const string WindowShowMessage = "window/showMessage";
    public const string WindowWorkDoneProgressCreate = "window/workDoneProgress/create";
    public const string WindowWorkDoneProgressCancel = "window/workDoneProgress/cancel";

    public const string ClientRegisterCapability = "client/registerCapability";
    public const string ClientUnregisterCapability = "client/unregisterCapability";
}

/// <summary>The error codes of JSON-RPC and of the LSP that the server answers with.</summary>
internal static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int UnknownErrorCode = -32001;
    public const int RequestFailed = -32803;
    public const int ServerCancelled = -32802;
    public const int ContentModified = -32801;
    public const int RequestCancelled = -32800;
}

// "Preview bibliography": the server renders the note's bibliography (as pandoc would print it, in the note's
// citation style); the client only opens it in an untitled Markdown document beside the note.
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';

/** The server's command; its argument is the note's URI, its answer the bibliography in Markdown. */
const previewCommand = 'bibserver.server.previewBibliography';

export async function previewBibliography(client: LanguageClient | undefined): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
        void vscode.window.showInformationMessage('Open a note to preview its bibliography.');
        return;
    }
    if (client?.state !== State.Running) {
        void vscode.window.showWarningMessage('BibServer\'s language server is not running.');
        return;
    }
    const markdown = await client.sendRequest<string | null>('workspace/executeCommand', {
        command: previewCommand,
        arguments: [editor.document.uri.toString()],
    });
    if (!markdown) {
        void vscode.window.showInformationMessage('BibServer has no bibliography for this file (is it a note?).');
        return;
    }
    const document = await vscode.workspace.openTextDocument({ content: markdown, language: 'markdown' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

// BibServer's VS Code client: starts the language server and shows what it says. All analysis is in the server.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { previewBibliography } from './bibliography';
import { BibServerClient } from './client';
import { libraryStatsRequest, statusNotification } from './protocol';
import { requiredRuntime, resolveServer, StartProblem } from './runtime';
import { showAnnotatedBibliography, showPapersNotCited } from './annotations';
import { showLibraryStatistics } from './statistics';
import { createStatusItem, showState } from './status';
import { OPEN_APP_LINK, openAppLink } from './applinks';

let stopClient: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel('BibServer', { log: true });
    const status = createStatusItem();
    let client: BibServerClient | undefined;
    let failed = false;

    /** One notification per failure, saying what to do; the status bar keeps showing it afterwards. */
    const announce = (message: string, needsRuntime = false): void => {
        const tail = client?.stderrTail ?? [];
        const said = tail.length > 0 ? ` It said: ${tail.join(' ')}` : '';
        log.error(message + said);
        failed = true;
        showState(status, { failed: message });
        const actions = needsRuntime ? [`Install .NET ${requiredRuntime}`, 'Set bibserver.dotnetPath', 'Show Output'] : ['Show Output', 'Restart'];
        void vscode.window.showErrorMessage(message + said, ...actions).then(action => {
            if (action === 'Show Output') {
                log.show(true);
            } else if (action === 'Restart') {
                void vscode.commands.executeCommand('bibserver.restartServer');
            } else if (action?.startsWith('Install')) {
                void vscode.env.openExternal(vscode.Uri.parse(`https://dotnet.microsoft.com/download/dotnet/${requiredRuntime}.0`));
            } else if (action?.startsWith('Set')) {
                void vscode.commands.executeCommand('workbench.action.openSettings', 'bibserver.dotnetPath');
            }
        });
    };

    const start = async (): Promise<void> => {
        showState(status, 'starting');
        failed = false;
        try {
            client = new BibServerClient(await resolveServer(context, log), log, message => announce(message));
            client.onDidChangeState(e => {
                if (!(failed && e.newState === State.Stopped)) {
                    showState(status, e.newState === State.Running ? 'running' : e.newState === State.Stopped ? 'stopped' : 'starting');
                }
            });
            client.onNotification(statusNotification, params => showState(status, params));
            await client.start();
        } catch (error) {
            const problem = error instanceof StartProblem ? error : undefined;
            announce(problem?.message ?? 'BibServer\'s language server stopped while starting.', problem?.needsRuntime ?? false);
        }
    };

    const stop = async (): Promise<void> => {
        const old = client;
        client = undefined;
        if (old?.needsStop()) {
            await old.dispose(2000).catch(error => log.warn(`Stopping the language server: ${error}`));
        } else {
            // A client whose server never started has no server to stop, only listeners to drop.
            await old?.dispose().catch(() => undefined);
        }
    };
    stopClient = stop;

    /** Runs a command that asks the server, or says that it is not running. */
    const whenRunning = async (what: string, run: (running: BibServerClient) => Promise<void>): Promise<void> => {
        if (client?.state !== State.Running) {
            void vscode.window.showWarningMessage('BibServer\'s language server is not running.', 'Show Output')
                .then(action => action && log.show(true));
            return;
        }
        try {
            await run(client);
        } catch (error) {
            void vscode.window.showErrorMessage(`BibServer could not ${what}: ${error instanceof Error ? error.message : error}`);
        }
    };

    context.subscriptions.push(
        log,
        status,
        vscode.commands.registerCommand('bibserver.restartServer', async () => {
            await stop();
            await start();
        }),
        vscode.commands.registerCommand(OPEN_APP_LINK, openAppLink),
        vscode.commands.registerCommand('bibserver.showOutput', () => log.show(true)),
        vscode.commands.registerCommand('bibserver.previewBibliography', () => previewBibliography(client)),
        vscode.commands.registerCommand('bibserver.showLibraryStatistics', () => whenRunning('list the libraries',
            async running => showLibraryStatistics(await running.sendRequest(libraryStatsRequest)))),
        vscode.commands.registerCommand('bibserver.papersNotCited', () => whenRunning('list the papers not cited yet', showPapersNotCited)),
        vscode.commands.registerCommand('bibserver.annotatedBibliography', () => whenRunning('write the annotated bibliography', showAnnotatedBibliography)),
        // The lens over a Zotero paper's first citation: the server lists its annotations and notes, shown as a document.
        vscode.commands.registerCommand('bibserver.showZoteroRemarks', async (noteUri: string, key: string) => {
            const listing = await client?.sendRequest<string | null>('workspace/executeCommand',
                { command: 'bibserver.zotero.remarks', arguments: [noteUri, key] });
            if (listing) {
                await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: listing }), { preview: true });
            }
        }),
        // Which dotnet runs the server is decided at start, so a new one takes a restart; other settings reach the
        // running server through workspace/didChangeConfiguration.
        vscode.workspace.onDidChangeConfiguration(e => {
            if (e.affectsConfiguration('bibserver.dotnetPath')) {
                void vscode.commands.executeCommand('bibserver.restartServer');
            }
        }),
    );
    await start();
}

export async function deactivate(): Promise<void> {
    await stopClient?.();
}

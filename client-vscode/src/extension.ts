// BibServer's VS Code client: starts the language server and shows what it says. All analysis is in the server.
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, LanguageClientOptions, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import { libraryStatsRequest, statusNotification } from './protocol';
import { resolveServer, StartProblem, requiredRuntime } from './runtime';
import { showLibraryStatistics } from './statistics';
import { createStatusItem, showState } from './status';

/** The library announces failures with notifications of its own; BibServer announces each failure once, itself. */
class BibServerClient extends LanguageClient {
    override error(message: string, data?: unknown): void {
        super.error(message, data, false);
    }
}

let stopClient: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel('BibServer', { log: true });
    const status = createStatusItem();
    let client: BibServerClient | undefined;
    let stderrTail: string[] = [];
    let failed = false;

    const start = async (): Promise<void> => {
        showState(status, 'starting');
        stderrTail = [];
        failed = false;
        let running = false;
        const crashes: number[] = [];
        try {
            const server = await resolveServer(context, log);
            client = new BibServerClient('bibserver', 'BibServer', server, {
                ...clientOptions(log),
                stdioOptions: {
                    stdout: (input, channel) => lines(input, line => channel.info(line)),
                    stderr: (input, channel) => lines(input, line => {
                        channel.error(line);
                        stderrTail = [...stderrTail, line].slice(-3);
                    }),
                },
                errorHandler: {
                    error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
                    // A server that dies during start-up is reported by the start below; one that dies later is restarted
                    // a few times, and then given up on with one notification rather than a restart loop.
                    closed: () => {
                        const now = Date.now();
                        crashes.push(now);
                        if (!running || crashes.filter(t => now - t < 180_000).length > 3) {
                            if (running) {
                                announce(`BibServer's language server stopped ${crashes.length} times and will not be restarted.`);
                            }
                            return { action: CloseAction.DoNotRestart, handled: true };
                        }
                        log.warn('The language server stopped; restarting it.');
                        return { action: CloseAction.Restart, handled: true };
                    },
                },
            });
            client.onDidChangeState(e => {
                running ||= e.newState === State.Running;
                if (failed && e.newState === State.Stopped) {
                    return;
                }
                showState(status, e.newState === State.Running ? 'running' : e.newState === State.Stopped ? 'stopped' : 'starting');
            });
            client.onNotification(statusNotification, params => showState(status, params));
            await client.start();
        } catch (error) {
            const problem = error instanceof StartProblem ? error : undefined;
            announce(problem?.message ?? `BibServer's language server stopped while starting.`, problem?.needsRuntime ?? false);
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

    /** One notification per failure, saying what to do; the status bar keeps showing it afterwards. */
    const announce = (message: string, needsRuntime = false): void => {
        const said = stderrTail.length > 0 ? ` It said: ${stderrTail.join(' ')}` : '';
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

    context.subscriptions.push(
        log,
        status,
        { dispose: () => void stop() },
        vscode.commands.registerCommand('bibserver.restartServer', async () => {
            await stop();
            await start();
        }),
        vscode.commands.registerCommand('bibserver.showOutput', () => log.show(true)),
        vscode.commands.registerCommand('bibserver.showLibraryStatistics', async () => {
            if (client?.state !== State.Running) {
                void vscode.window.showWarningMessage('BibServer\'s language server is not running.', 'Show Output')
                    .then(action => action && log.show(true));
                return;
            }
            try {
                await showLibraryStatistics(await client.sendRequest(libraryStatsRequest));
            } catch (error) {
                void vscode.window.showErrorMessage(`BibServer could not list the libraries: ${error instanceof Error ? error.message : error}`);
            }
        }),
        // Which dotnet runs the server is decided at start, so a new one takes a restart; other settings go to the
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

function clientOptions(log: vscode.LogOutputChannel): LanguageClientOptions {
    return {
        documentSelector: [
            { scheme: 'file', language: 'markdown' },
            { scheme: 'untitled', language: 'markdown' },
            { scheme: 'file', language: 'quarto' },
            { scheme: 'untitled', language: 'quarto' },
            { scheme: 'file', language: 'bibtex' },
            // Libraries: BibTeX, CSL-JSON, CSL-YAML and scraped paper lists. The server tells them from other files.
            { scheme: 'file', pattern: '**/*.{bib,qmd,json,yaml,yml,txt}' },
        ],
        outputChannel: log,
        // Failures are announced once by activate(), not by the library on every failed request.
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: () => settings(),
        initializationFailedHandler: () => false,
        synchronize: {
            configurationSection: 'bibserver',
            fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{md,qmd,bib,json,yaml,yml,txt}'),
        },
    };
}

/** The `bibserver` settings as plain JSON: the same shape the server gets in workspace/didChangeConfiguration. */
function settings(): unknown {
    return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('bibserver')));
}

function lines(input: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', onLine);
}

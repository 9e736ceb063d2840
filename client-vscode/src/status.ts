// The status-bar item: what the server knows at a glance, and the way to the library statistics.
import * as vscode from 'vscode';
import { StatusParams } from './protocol';

export type ServerState = 'starting' | 'running' | 'stopped' | { failed: string } | StatusParams;

export function createStatusItem(): vscode.StatusBarItem {
    const item = vscode.window.createStatusBarItem('bibserver.status', vscode.StatusBarAlignment.Right, 100);
    item.name = 'BibServer';
    showState(item, 'starting');
    item.show();
    return item;
}

export function showState(item: vscode.StatusBarItem, state: ServerState): void {
    item.backgroundColor = undefined;
    if (state === 'starting') {
        item.text = '$(sync~spin) BibServer';
        item.tooltip = 'BibServer: starting the language server…';
        item.command = 'bibserver.showOutput';
    } else if (state === 'running') {
        // Shown until the server's first bibserver/status notification.
        item.text = '$(book) BibServer';
        item.tooltip = 'BibServer: the language server is running. Click for the library statistics.';
        item.command = 'bibserver.showLibraryStatistics';
    } else if (state === 'stopped') {
        item.text = '$(circle-slash) BibServer';
        item.tooltip = 'BibServer: the language server is stopped. Click to see its output.';
        item.command = 'bibserver.showOutput';
    } else if ('failed' in state) {
        item.text = '$(error) BibServer';
        item.tooltip = `BibServer: ${state.failed} Click to see the output.`;
        item.command = 'bibserver.showOutput';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (state.indexing) {
        item.text = '$(sync~spin) Indexing…';
        item.tooltip = `BibServer: reading ${plural(state.libraries, 'library', 'libraries')}…`;
        item.command = 'bibserver.showLibraryStatistics';
    } else {
        item.text = `$(book) ${plural(state.papers, 'paper', 'papers')}` + (state.problems > 0 ? ` $(warning) ${state.problems}` : '');
        item.tooltip = `BibServer: ${plural(state.papers, 'paper', 'papers')} from ${plural(state.libraries, 'library', 'libraries')}`
            + (state.problems > 0 ? `, ${plural(state.problems, 'problem', 'problems')} in them` : '')
            + '. Click for the library statistics.';
        item.command = 'bibserver.showLibraryStatistics';
    }
    item.accessibilityInformation = { label: typeof item.tooltip === 'string' ? item.tooltip : 'BibServer' };
}

export function plural(n: number, one: string, many: string): string {
    return `${n} ${n === 1 ? one : many}`;
}

// The annotated bibliography's commands: the server lists and writes, the client only shows.
import * as vscode from 'vscode';
import { BaseLanguageClient } from 'vscode-languageclient/node';
import { annotatedBibliographyRequest, PapersNotCitedResult, papersNotCitedRequest } from './protocol';
import { plural } from './status';

/** "Papers not cited yet": a quick pick of the server's list, by library or by title; picking one opens its entry. */
export async function showPapersNotCited(client: BaseLanguageClient): Promise<void> {
    let sort: 'library' | 'title' = 'library';
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { paper?: PapersNotCitedResult['papers'][number] }>();
    const toggle = { iconPath: new vscode.ThemeIcon('list-ordered'), tooltip: 'Sort by title or by library' };
    pick.buttons = [toggle];
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const load = async (): Promise<void> => {
        pick.busy = true;
        const result = await client.sendRequest(papersNotCitedRequest, { sort });
        const items: (vscode.QuickPickItem & { paper?: PapersNotCitedResult['papers'][number] })[] = [];
        let library = '';
        for (const paper of result.papers) {
            const file = vscode.workspace.asRelativePath(vscode.Uri.parse(paper.location.uri));
            if (sort === 'library' && file !== library) {
                items.push({ label: file, kind: vscode.QuickPickItemKind.Separator });
                library = file;
            }
            items.push({
                label: paper.title,
                description: [paper.authors, paper.year?.toString()].filter(s => s).join(' · '),
                detail: sort === 'title' ? `@${paper.key} · ${file}` : `@${paper.key}`,
                paper,
            });
        }
        pick.items = items;
        pick.title = `BibServer: ${plural(result.papers.length, 'paper', 'papers')} of ${result.total} not cited yet (by ${sort})`;
        pick.busy = false;
    };
    pick.onDidTriggerButton(() => {
        sort = sort === 'library' ? 'title' : 'library';
        void load();
    });
    pick.onDidAccept(async () => {
        const paper = pick.selectedItems[0]?.paper;
        pick.hide();
        if (paper) {
            const start = new vscode.Position(paper.location.range.start.line, paper.location.range.start.character);
            await vscode.window.showTextDocument(vscode.Uri.parse(paper.location.uri), { selection: new vscode.Range(start, start) });
        }
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
    await load();
}

/** "Annotated bibliography": of the active note, or of every note; opened untitled, for the writer to save or not. */
export async function showAnnotatedBibliography(client: BaseLanguageClient): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const uri = editor && ['markdown', 'quarto'].includes(editor.document.languageId) && !editor.document.isUntitled
        ? editor.document.uri.toString() : undefined;
    const result = await client.sendRequest(annotatedBibliographyRequest, { uri });
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.setStatusBarMessage(`BibServer: ${plural(result.papers, 'paper', 'papers')} from ${plural(result.notes, 'note', 'notes')}`, 5000);
}

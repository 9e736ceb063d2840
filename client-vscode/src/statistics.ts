// The library statistics, shown as a quick pick: one row a library, and picking one opens it.
import * as vscode from 'vscode';
import { LibraryStatsResult } from './protocol';
import { plural } from './status';

export async function showLibraryStatistics(stats: LibraryStatsResult): Promise<void> {
    const items = stats.libraries.map(library => ({
        label: `$(library) ${vscode.workspace.asRelativePath(library.path)}`,
        description: `${library.format} · ${plural(library.papers, 'paper', 'papers')}`
            + (library.problems > 0 ? ` · $(warning) ${plural(library.problems, 'problem', 'problems')}` : '')
            // What a Zotero library holds besides papers: attachments, notes, annotations, items in the trash.
            + (library.detail ? ` · ${library.detail}` : ''),
        path: library.path,
    }));
    const picked = await vscode.window.showQuickPick(items, {
        title: `BibServer: ${plural(stats.papers, 'paper', 'papers')} in ${plural(stats.libraries.length, 'library', 'libraries')}`
            + (stats.problems > 0 ? `, ${plural(stats.problems, 'problem', 'problems')}` : ''),
        placeHolder: stats.libraries.length === 0
            ? 'No library yet: set bibserver.libraries, or cite a bibliography in a note\'s front matter.'
            : 'Pick a library to open it.',
        matchOnDescription: true,
    });
    if (picked) {
        await vscode.window.showTextDocument(vscode.Uri.file(picked.path));
    }
}

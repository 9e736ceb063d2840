// BibServer's own messages, beside standard LSP. The server defines them; these types only mirror what it sends.
import { Location, NotificationType, RequestType, RequestType0 } from 'vscode-languageclient/node';

/** Sent by the server whenever its library index changes or starts or stops indexing. */
export interface StatusParams {
    papers: number;
    problems: number;
    indexing: boolean;
    libraries: number;
}
export const statusNotification = new NotificationType<StatusParams>('bibserver/status');

export interface LibraryStats {
    path: string;
    format: string;
    papers: number;
    problems: number;
    /** What the library holds besides papers (a Zotero library's attachments, notes, annotations). */
    detail?: string;
}
export interface LibraryStatsResult {
    libraries: LibraryStats[];
    papers: number;
    problems: number;
}
export const libraryStatsRequest = new RequestType0<LibraryStatsResult, void>('bibserver/libraryStats');

export interface UncitedPaper {
    key: string;
    title: string;
    authors: string;
    year?: number;
    location: Location;
}
export interface PapersNotCitedResult {
    papers: UncitedPaper[];
    total: number;
}
export const papersNotCitedRequest = new RequestType<{ sort?: 'library' | 'title' }, PapersNotCitedResult, void>('bibserver/papersNotCited');

export interface AnnotatedBibliographyResult {
    markdown: string;
    papers: number;
    notes: number;
}
export const annotatedBibliographyRequest = new RequestType<{ uri?: string }, AnnotatedBibliographyResult, void>('bibserver/annotatedBibliography');

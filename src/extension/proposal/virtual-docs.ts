import * as vscode from 'vscode';
import { PROPOSAL_SCHEME } from './types';

/** The read-only texts served under PROPOSAL_SCHEME: previews of new files and the Compare views' right side. */
export class VirtualDocuments implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
    onDidChange: this.changed.event,
    provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? '',
  });

  /** `refresh`: the document may be open already; tell VS Code its text changed. */
  set(uri: vscode.Uri, text: string, refresh = false): void {
    this.texts.set(uri.toString(), text);
    if (refresh) this.changed.fire(uri);
  }

  delete(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { applyEdits } from '../diff';
import type { InlineProposal } from './types';
import { PROPOSAL_SCHEME } from './types';
import type { VirtualDocuments } from './virtual-docs';

/** The right side of a proposal's Compare view: the document as Accept would leave it. */
export function compareUri(p: InlineProposal): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${basename(p.uri.path)}`, query: `compare=${p.runId}` });
}

/** Opens a diff editor: the document now, and the document as Accept would leave it. */
export async function openCompare(p: InlineProposal, docs: VirtualDocuments): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(p.uri);
  const after = applyEdits(doc.getText(), [{ start: p.range.start, end: p.range.end, text: p.proposed }]);
  const uri = compareUri(p);
  docs.set(uri, after, true);
  await vscode.commands.executeCommand('vscode.diff', p.uri, uri, `${basename(p.uri.path)} ↔ MapCoder-Lite proposal`, { preview: true });
}

import * as vscode from 'vscode';
import { diffText } from '../diff';
import { languageIdOf } from '../target';
import { decorationPlan, inlinePreview } from './logic';
import type { InlineProposal } from './types';

/**
 * An inline proposal drawn into the editors that show its file, without touching the document: lines it
 * would remove struck through, lines it would add shown after their neighbouring line (all of them in
 * the hover). Always re-diffed against the range's current text, so what shows is what Accept would do.
 */
export class ProposalDecorations implements vscode.Disposable {
  private readonly removedType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly addedType = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });

  /** Draws `p`; false when no editor shows its file. */
  draw(p: InlineProposal): boolean {
    const editors = editorsOf(p.uri);
    if (!editors.length) return false;
    const doc = editors[0].document;
    const current = doc.getText().slice(p.range.start, p.range.end);
    const plan = decorationPlan(diffText(current, p.proposed), doc.positionAt(p.range.start));
    const removed = plan.removed.map((line) => ({ range: doc.lineAt(Math.min(line, doc.lineCount - 1)).range }));
    const added = plan.added.map((block): vscode.DecorationOptions => {
      const line = doc.lineAt(Math.min(block.line, doc.lineCount - 1));
      const at = block.where === 'after' ? line.range.end : line.range.start;
      const content: vscode.ThemableDecorationAttachmentRenderOptions = {
        contentText: inlinePreview(block.lines),
        color: new vscode.ThemeColor('editorGhostText.foreground'),
        backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
        fontStyle: 'italic',
        margin: block.where === 'after' ? '0 0 0 2em' : '0 1em 0 0',
      };
      const hover = new vscode.MarkdownString(`**MapCoder-Lite adds ${block.lines.length} line${block.lines.length === 1 ? '' : 's'} here:**`);
      hover.appendCodeblock(block.lines.join('\n'), languageIdOf(p.lang));
      return { range: new vscode.Range(at, at), hoverMessage: hover, renderOptions: block.where === 'after' ? { after: content } : { before: content } };
    });
    for (const e of editors) {
      e.setDecorations(this.removedType, removed);
      e.setDecorations(this.addedType, added);
    }
    return true;
  }

  clear(p: InlineProposal): void {
    for (const e of editorsOf(p.uri)) {
      e.setDecorations(this.removedType, []);
      e.setDecorations(this.addedType, []);
    }
  }

  dispose(): void {
    this.removedType.dispose();
    this.addedType.dispose();
  }
}

/** The line a proposal's CodeLens sits on and the editor reveals. */
export function anchorRange(p: InlineProposal, doc: vscode.TextDocument): vscode.Range {
  const start = doc.positionAt(p.range.start);
  // An insertion at the very start of the range is shown on the line above it: put the lens there too.
  const line = start.line > 0 && start.character === 0 && p.range.start === p.range.end ? start.line - 1 : start.line;
  return new vscode.Range(line, 0, line, 0);
}

/**
 * The editors that show the file itself. The left side of a diff of the file (the Compare view) is
 * left out: the change is already drawn there, and a ghost line on top of it would show it twice.
 */
function editorsOf(uri: vscode.Uri): vscode.TextEditor[] {
  const key = uri.toString();
  const diffColumns = new Set(vscode.window.tabGroups.all
    .filter((g) => g.activeTab?.input instanceof vscode.TabInputTextDiff && g.activeTab.input.original.toString() === key)
    .map((g) => g.viewColumn));
  return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key && !(e.viewColumn !== undefined && diffColumns.has(e.viewColumn)));
}

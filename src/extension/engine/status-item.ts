import * as vscode from 'vscode';
import type { EngineStatus } from '../../core/engine/status';
import { statusView } from './logic';

/** The local engine's status bar item (what it says: logic.statusView); a click offers its actions. */
export class EngineStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mapcoderLite.engine', vscode.StatusBarAlignment.Left, 49);

  constructor() {
    this.item.name = 'MapCoder-Lite local model';
    this.item.command = 'mapcoderLite.localModelActions';
  }

  show(s: EngineStatus | undefined): void {
    if (!s) return this.item.hide();
    const view = statusView(s);
    this.item.text = view.text;
    this.item.tooltip = `${view.tooltip}\nClick for the local model's actions.`;
    this.item.backgroundColor = view.tone ? new vscode.ThemeColor(`statusBarItem.${view.tone}Background`) : undefined;
    this.item.show();
  }

  /** What it says now (the integration tests read it). */
  get text(): string | undefined {
    return this.item.text || undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

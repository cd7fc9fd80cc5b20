import * as vscode from 'vscode';
import type { SolveResult } from '../../core/events';
import { doneLabel } from './progress-tracker';
import type { ActiveRun } from './active-run';

/** The status bar item: the latest run in progress, else how the last one ended; and the `mapcoderLite.running` context key. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mapcoderLite.status', vscode.StatusBarAlignment.Left, 50);
  private lastDone: { runId: string; label: string; ok: boolean } | undefined;

  constructor() {
    this.item.name = 'MapCoder-Lite';
  }

  /** Shown once no run is in progress. */
  done(runId: string, result: SolveResult): void {
    this.lastDone = { runId, label: doneLabel(result), ok: result.status === 'passed' || result.status === 'untested' };
  }

  refresh(runs: readonly ActiveRun[]): void {
    void vscode.commands.executeCommand('setContext', 'mapcoderLite.running', runs.length > 0);
    const item = this.item;
    const latest = runs.at(-1);
    if (latest) {
      item.text = `$(sync~spin) MapCoder-Lite: ${latest.tracker.text}${runs.length > 1 ? ` (+${runs.length - 1} more)` : ''}`;
      item.tooltip = `${latest.target.title}: ${latest.tracker.text}. Click to show the Agents panel.`;
      item.command = latest.id ? { title: 'Show run', command: 'mapcoderLite.showRun', arguments: [latest.id] } : 'mapcoderLite.steps.focus';
      item.show();
    } else if (this.lastDone) {
      item.text = `${this.lastDone.ok ? '$(check)' : '$(warning)'} MapCoder-Lite: ${this.lastDone.label}`;
      item.tooltip = 'The last MapCoder-Lite run. Click to show it in the Agents panel.';
      item.command = { title: 'Show run', command: 'mapcoderLite.showRun', arguments: [this.lastDone.runId] };
      item.show();
    } else {
      item.hide();
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}

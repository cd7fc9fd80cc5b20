// Problems from the browser: the Competitive Companion listener of the extension. One editor window on
// the machine holds the port; the others find it in use, stay quiet and try again now and then, so the
// next window takes over when that one closes. Off in untrusted workspaces and when the setting says so.
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { saveProblem } from '../core/companion/files';
import { listenForCompanion, type CompanionListener } from '../core/companion/listener';
import type { CompanionTask } from '../core/companion/task';
import type { UserSettings } from './settings/user-settings';

/** How often a window whose port was taken tries again. */
const RETRY_MS = 5_000;

export class CompanionService implements vscode.Disposable {
  private listener: CompanionListener | undefined;
  private retry: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly settings: UserSettings, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mapcoderLite.companion')) void this.restart();
      }),
    ];
    void this.restart();
  }

  /** The port this window listens on, when it holds it. */
  get listening(): number | undefined {
    return this.listener?.port;
  }

  private async restart(): Promise<void> {
    await this.stop();
    const s = this.settings.read();
    if (this.disposed || !vscode.workspace.isTrusted || !s.companion) return;
    try {
      this.listener = await listenForCompanion({ port: s.companionPort, onTask: (t) => this.save(t), onError: (m) => this.log.error(`Competitive Companion: ${m}`) });
      if (this.disposed) return void this.stop();
      this.log.info(`Listening for Competitive Companion on 127.0.0.1:${this.listener.port}.`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        this.log.info(`Competitive Companion's port ${s.companionPort} is in use (another window listens); trying again every ${RETRY_MS / 1000} s.`);
      } else {
        this.log.warn(`Competitive Companion: could not listen on ${s.companionPort}: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.retry = setTimeout(() => void this.restart(), RETRY_MS);
      this.retry.unref?.();
    }
  }

  private async stop(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    const l = this.listener;
    this.listener = undefined;
    await l?.close();
  }

  /** Saves the problem's files (never over existing ones) and opens its statement, which waits for its text. */
  private async save(task: CompanionTask): Promise<void> {
    const s = this.settings.read();
    const root = s.companionFolder || vscode.workspace.workspaceFolders?.[0]?.uri.fsPath || join(homedir(), 'mapcoder-lite-problems');
    const saved = await saveProblem(root, task, s.defaultLanguage ?? 'python3');
    this.log.info(`Competitive Companion: "${task.name}" -> ${saved.statement}${saved.created.statement ? '' : ' (kept)'}, ${saved.source}${saved.created.source ? '' : ' (kept)'}`);
    await vscode.window.showTextDocument(vscode.Uri.file(saved.statement), { preview: false });
    const note = saved.created.statement
      ? `"${task.name}" arrived with ${task.problem.samples.length} sample test${task.problem.samples.length === 1 ? '' : 's'}. Companion sends no statement: paste it into ${basename(saved.statement)}, then Solve.`
      : `"${task.name}" arrived again; ${basename(saved.statement)} and ${basename(saved.source)} were kept as they are.`;
    void vscode.window.showInformationMessage(note);
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
    for (const d of this.subscriptions) d.dispose();
  }
}

// Problems from the browser: the Competitive Companion listener of the extension. One editor window on
// the machine holds the port; the others find one of us there, stay quiet and try again now and then,
// so the next window takes over when that one closes. A port held by another program (cph, CP Editor,
// ...) is said once, naming it, and never retried: taking it back when that tool lets go would starve
// it of problems. Off in untrusted workspaces and when the setting says so.
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { ProblemSaver } from '../core/companion/files';
import { holderText, portHolder } from '../core/companion/holder';
import { listenForCompanion, type CompanionListener } from '../core/companion/listener';
import { addPortHint } from '../core/companion/port';
import type { CompanionTask } from '../core/companion/task';
import type { UserSettings } from './settings/user-settings';

/** How often a window whose port another window holds tries again. */
const RETRY_MS = 5_000;

export class CompanionService implements vscode.Disposable {
  private listener: CompanionListener | undefined;
  private retry: NodeJS.Timeout | undefined;
  private disposed = false;
  /** The port whose holder was last reported, so a retry does not repeat it. */
  private reported: string | undefined;
  /** Batches whose first problem was opened: a contest of ten opens one editor, not ten. */
  private readonly announced = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly saver = new ProblemSaver();

  constructor(private readonly settings: UserSettings, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('mapcoderLite.companion')) return;
        this.reported = undefined;
        void this.restart();
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
      this.reported = undefined;
      this.log.info(`Listening for Competitive Companion on 127.0.0.1:${this.listener.port} (${addPortHint(this.listener.port)}).`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        this.log.warn(`Competitive Companion: could not listen on ${s.companionPort}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      const holder = await portHolder(s.companionPort);
      if (this.disposed) return;
      const line = holderText(s.companionPort, holder);
      if (holder.kind === 'ours') {
        this.retry = setTimeout(() => void this.restart(), RETRY_MS);
        this.retry.unref?.();
      }
      if (this.reported === line) return;
      this.reported = line;
      if (holder.kind === 'ours') this.log.info(`Competitive Companion: ${line}; this window takes over when it closes.`);
      else {
        this.log.warn(`Competitive Companion: ${line} (setting mapcoderLite.companion.port). Not listening.`);
        void vscode.window.showWarningMessage(`MapCoder-Lite does not receive Competitive Companion problems: ${line} (setting mapcoderLite.companion.port).`);
      }
    }
  }

  private async stop(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    const l = this.listener;
    this.listener = undefined;
    await l?.close();
  }

  /** Saves the problem's files (a re-send refreshes the samples and keeps the user's text and code) and opens its statement. */
  private async save(task: CompanionTask): Promise<string> {
    const s = this.settings.read();
    const root = s.companionFolder || vscode.workspace.workspaceFolders?.[0]?.uri.fsPath || join(homedir(), 'mapcoder-lite-problems');
    const saved = await this.saver.save(root, task, s.defaultLanguage ?? 'python3');
    this.log.info(`Competitive Companion: "${task.name}" -> ${saved.statement} (${saved.status}), ${saved.source}${saved.sourceCreated ? '' : ' (kept)'}`);
    // a contest arrives as one send per problem: only its first problem opens and says so
    if (task.batch && task.batch.size > 1 && this.announced.has(task.batch.id)) return saved.status;
    if (task.batch) this.announced.add(task.batch.id);
    await vscode.window.showTextDocument(vscode.Uri.file(saved.statement), { preview: false });
    const tests = `${task.samples.length} sample test${task.samples.length === 1 ? '' : 's'}`;
    const note = saved.status === 'updated'
      ? `"${task.name}" arrived again: ${basename(saved.statement)} has its ${tests} and limits refreshed; your statement text, ${basename(saved.source)} and your tests were kept.`
      : task.batch && task.batch.size > 1
        ? `${task.batch.size} problems of "${task.meta.contest ?? task.name}" are arriving in ${basename(saved.dir)}. Companion sends no statements: paste each into its .md file, then Solve.`
        : `"${task.name}" arrived with ${tests}. Companion sends no statement: paste it into ${basename(saved.statement)}, then Solve.`;
    void vscode.window.showInformationMessage(note);
    return saved.status;
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
    for (const d of this.subscriptions) d.dispose();
  }
}

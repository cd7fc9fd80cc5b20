import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isFromWebview, type FromWebview, type PanelConfig, type ToWebview } from '../../panel-protocol';
import { snapshot } from '../../run-state';
import { SETTINGS } from '../settings/table';
import type { RunStore, RunUpdate } from '../state/run-store';
import type { Timers } from '../state/timers';
import { PatchBatcher } from './patch-batcher';

// The "Agents" side panel. State lives in the store on the extension side; the webview is a view of it
// that can be destroyed at any time (hidden, reloaded) and gets a full replay when it says 'ready'.

/** A panel action's result: a promise it returns is awaited for its failure only (see `act`). */
type ActionResult = void | PromiseLike<unknown>;

export interface PanelActions {
  solveActiveEditor(): ActionResult;
  cancel(runId: string): ActionResult;
  /** Coding and debugging from this plan only. */
  rerunFromPlan(runId: string, planIndex: number, editedPlan: string): ActionResult;
  /** Re-run that step and what follows, reusing earlier steps. */
  rerunStep(runId: string, step: 'retrieval' | 'planning' | 'coding'): ActionResult;
  accept(runId: string): ActionResult;
  reject(runId: string): ActionResult;
  openFile(file: string): ActionResult;
  keepTest(runId: string, check: number): ActionResult;
  showJudge(): ActionResult;
}

export class PanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'mapcoderLite.steps';

  private view: vscode.WebviewView | undefined;
  /** The webview said 'ready' and has had its replay: it can take patches. */
  private ready = false;
  private shownRunId: string | undefined;
  private currentRunId: string | undefined;
  private config: PanelConfig;
  private readonly batcher: PatchBatcher;
  private readonly disposables: vscode.Disposable[] = [];
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly actions: PanelActions,
    private readonly log: vscode.LogOutputChannel,
    opts: { timers?: Timers } = {},
  ) {
    this.config = { trusted: vscode.workspace.isTrusted, endpoint: endpointSetting() };
    this.currentRunId = this.shownRunId = store.current()?.meta.runId;
    this.batcher = new PatchBatcher((m) => this.post(m), {
      snapshot: (runId) => {
        const run = store.get(runId);
        return run && snapshot(run);
      },
      history: () => store.list(),
    }, { timers: opts.timers });
    this.disposables.push(
      store.onDidUpdate((u) => this.onStoreUpdate(u)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.setConfig({ trusted: true })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mapcoderLite.endpoint')) this.setConfig({ endpoint: endpointSetting() });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [this.asset('dist'), this.asset('media')],
    };
    view.webview.html = this.html(view.webview);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      // Without retainContextWhenHidden the page is discarded while hidden and says 'ready' again when shown;
      // the replay on becoming visible also covers a page that was kept.
      view.onDidChangeVisibility(() => (view.visible ? this.replay() : this.batcher.discard())),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.ready = false;
        this.batcher.discard();
        this.disposeView();
      }),
    );
  }

  /** Brings the panel into view without taking focus from the editor. */
  reveal(): void {
    if (this.view) this.view.show(true);
    else void vscode.commands.executeCommand(`${PanelProvider.viewType}.focus`, { preserveFocus: true });
  }

  /** Shows that run (from history or a new run) and reveals the panel. */
  show(runId: string): void {
    if (this.store.get(runId)) {
      this.shownRunId = runId;
      this.replay();
    }
    this.reveal();
  }

  /** Trust and endpoint shown in the panel; both are also followed on their own (trust grants, the setting). */
  setConfig(change: Partial<PanelConfig>): void {
    this.config = { ...this.config, ...change };
    if (this.live) this.post({ type: 'config', config: this.config });
  }

  dispose(): void {
    this.batcher.dispose();
    this.disposeView();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.view = undefined;
  }

  private onStoreUpdate(u: RunUpdate): void {
    const current = this.store.current()?.meta.runId;
    if (current !== this.currentRunId) {
      // A new run started: the panel follows it.
      this.currentRunId = this.shownRunId = current;
      this.replay();
      return;
    }
    if (!this.live) return;
    if (!u.tokens) this.batcher.history();
    if (u.runId !== this.shownRunId) return;
    if (u.tokens) this.batcher.tokens(u.runId, u.tokens.callId, u.tokens.text);
    else this.batcher.run(u.runId);
  }

  private receive(raw: unknown): void {
    if (!isFromWebview(raw)) {
      this.log.warn(`Panel: ignored a malformed message: ${preview(raw)}`);
      return;
    }
    this.log.trace(`Panel: ${raw.type}`);
    this.route(raw);
  }

  private route(m: FromWebview): void {
    const a = this.actions;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'config', config: this.config });
        this.replay();
        return;
      case 'openRun':
        if (this.store.get(m.runId)) {
          this.shownRunId = m.runId;
          this.replay();
        }
        return;
      case 'solve':
        return this.act(m.type, () => a.solveActiveEditor());
      case 'cancel':
        return this.act(m.type, () => a.cancel(m.runId));
      case 'rerunFromPlan':
        return this.act(m.type, () => a.rerunFromPlan(m.runId, m.planIndex, m.plan));
      case 'rerunStep':
        return this.act(m.type, () => a.rerunStep(m.runId, m.step));
      case 'accept':
        return this.act(m.type, () => a.accept(m.runId));
      case 'reject':
        return this.act(m.type, () => a.reject(m.runId));
      case 'openFile':
        return this.act(m.type, () => a.openFile(m.file));
      case 'keepTest':
        return this.act(m.type, () => a.keepTest(m.runId, m.check));
      case 'showJudge':
        return this.act(m.type, () => a.showJudge());
    }
  }

  /** Runs a panel action; an action that throws or rejects is logged, never left unhandled. */
  private act(name: string, fn: () => ActionResult): void {
    const fail = (err: unknown) => this.log.error(`Panel: ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    try {
      const result = fn();
      if (result) Promise.resolve(result).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  /** Ready and visible: messages would reach the page. */
  private get live(): boolean {
    return this.ready && this.view?.visible === true;
  }

  /** Full state of the shown run; supersedes anything the batcher still held. */
  private replay(): void {
    if (!this.live) return;
    this.batcher.discard();
    const run = this.shownRunId === undefined ? undefined : this.store.get(this.shownRunId);
    this.post({ type: 'state', runs: this.store.list(), current: run && snapshot(run) });
  }

  private post(m: ToWebview): void {
    const view = this.view;
    if (!view || !this.live) return;
    view.webview.postMessage(m).then(
      (delivered) => {
        if (!delivered) this.log.debug(`Panel: ${m.type} not delivered (panel hidden)`);
      },
      (err: unknown) => this.log.warn(`Panel: posting ${m.type} failed: ${String(err)}`),
    );
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }

  private asset(...parts: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, ...parts);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const src = (...parts: string[]) => webview.asWebviewUri(this.asset(...parts)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${src('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${src('media', 'webview.css')}">
<title>MapCoder-Lite</title>
</head>
<body>
<div id="app" data-testid="panel"></div>
<script nonce="${nonce}" src="${src('dist', 'webview.js')}"></script>
</body>
</html>`;
  }
}

/** The endpoint as runs read it (trimmed; blank means the default). */
function endpointSetting(): string {
  return SETTINGS.endpoint.read(vscode.workspace.getConfiguration('mapcoderLite').get(SETTINGS.endpoint.key)).value;
}

function preview(x: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(x) ?? String(x);
  } catch {
    s = String(x);
  }
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

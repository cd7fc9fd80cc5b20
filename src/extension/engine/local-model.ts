import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { localEndpoint } from '../../core/engine/endpoint';
import { EngineFailedError, EngineMismatchError, LocalEngine, type EngineConnection } from '../../core/engine/lifecycle';
import { describeSpec, specKey, type EngineSpec } from '../../core/engine/spec';
import type { EngineStatus } from '../../core/engine/status';
import type { EndpointConfig } from '../../core/llm/config';
import type { Settings } from '../settings/read';
import { chooseModel } from './choose-model';
import { CHOOSE_MODEL, isOver, progressMessage, solveStep, specFromSettings } from './logic';
import { endpointAnswers } from './probe';
import { EngineStatusItem } from './status-item';

// The editor's side of the local engine: the core's LocalEngine lifecycle (one engine per machine,
// shared with other windows and the CLI through its lock) driven from Solve and the commands. This
// window holds one lease while it uses the engine; the engine ends when the last lease goes (this
// window's on deactivate) or after mapcoderLite.local.idleMinutes without a request.

interface Held {
  engine: LocalEngine;
  conn: EngineConnection;
  key: string;
}

export class LocalModel implements vscode.Disposable {
  private held?: Held;
  /** The spec this window last ran the engine for: Solve uses it again without asking. */
  private chosen?: string;
  private starting?: Promise<EngineConnection | undefined>;
  private readonly item = new EngineStatusItem();
  private readonly said = new Set<string>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel, private readonly settings: () => Settings) {}

  /**
   * The endpoint Solve uses: the configured one, or the local engine (started, shared, or offered when
   * nothing answers). Undefined: the user declined, or the engine could not start (said already).
   */
  async endpointFor(settings: Settings, base: EndpointConfig): Promise<EndpointConfig | undefined> {
    const spec = specFromSettings(settings, folder());
    const live = typeof spec === 'string' ? undefined : this.liveFor(spec);
    const step = solveStep({
      route: settings.engine, endpoint: base.baseUrl, modelSet: settings.localModel !== '',
      localChosen: typeof spec !== 'string' && specKey(spec) === this.chosen,
      endpointAnswers: settings.engine === 'auto' ? await endpointAnswers(base.baseUrl) : undefined,
    });
    if (step.kind === 'endpoint') return base;
    if (live) return localEndpoint(base, live.conn);
    if (step.kind === 'offer') {
      const answer = await vscode.window.showInformationMessage(step.message, ...step.actions);
      if (answer === undefined || (answer === CHOOSE_MODEL && !(await chooseModel()))) return undefined;
    } else if (step.kind === 'choose' && !(await chooseModel())) {
      return undefined;
    }
    const conn = await this.start();
    return conn && localEndpoint(base, conn);
  }

  /** Starts (or shares) the engine the settings describe, with a cancellable progress notification. */
  start(): Promise<EngineConnection | undefined> {
    const settings = this.settings();
    const spec = specFromSettings(settings, folder());
    if (typeof spec === 'string') {
      void vscode.window.showErrorMessage(`MapCoder-Lite: ${spec}`, 'Open Settings').then((a) => {
        if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite.local');
      });
      return Promise.resolve(undefined);
    }
    const live = this.liveFor(spec);
    if (live) return Promise.resolve(live.conn);
    this.starting ??= this.connect(spec, settings.localIdleMinutes, false).finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops the machine's engine (every window's and command's). */
  async stop(): Promise<void> {
    const engine = this.held?.engine ?? this.newEngine(15);
    this.held = undefined;
    // Stopped on purpose: the next Solve asks again.
    this.chosen = undefined;
    await engine.stop();
    this.item.show({ state: 'stopped', why: 'stopped from this window' });
  }

  /** The engine's log file (beside its lock). */
  get logFile(): string {
    return this.newEngine(15).logFile;
  }

  /** Whether this window uses a live engine. */
  get live(): boolean {
    return this.held !== undefined && !isOver(this.held.engine.status);
  }

  /**
   * Why the engine behind `baseUrl` went away during a run, if it did; it is then dropped, so the next
   * Solve starts a new one.
   */
  async lostReason(baseUrl: string): Promise<string | undefined> {
    const held = this.held;
    if (!held || held.conn.baseUrl !== baseUrl) return undefined;
    const why = await held.engine.lostReason();
    if (why) await this.drop();
    return why;
  }

  /** Drops this window's lease (the engine ends when it was the last). */
  async release(): Promise<void> {
    await this.drop();
  }

  dispose(): void {
    void this.drop();
    this.item.dispose();
  }

  private liveFor(spec: EngineSpec): Held | undefined {
    const held = this.held;
    return held && held.key === specKey(spec) && !isOver(held.engine.status) ? held : undefined;
  }

  private async drop(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.engine.release();
  }

  private newEngine(idleMinutes: number): LocalEngine {
    return new LocalEngine({
      // The packaged CLI runs the engine, on the editor's own runtime: VS Code's Electron as Node (its
      // N-API is what node-llama-cpp's binaries need), or plain Node where the host is Node (code-server).
      cliPath: join(this.context.extensionPath, 'dist', 'cli.js'),
      nodePath: process.execPath,
      env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
      idleMinutes,
      onLog: (line) => this.log.info(`[engine] ${line}`),
    });
  }

  private async connect(spec: EngineSpec, idleMinutes: number, replace: boolean): Promise<EngineConnection | undefined> {
    // An engine for other settings (or one that is over) is let go first.
    await this.drop();
    const engine = this.newEngine(idleMinutes);
    engine.onStatus((s) => this.onStatus(engine, s));
    this.log.info(`Local model: ${replace ? 'replacing the running engine with' : 'starting or sharing'} ${describeSpec(spec)}`);
    const cancelled = new AbortController();
    try {
      const conn = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'MapCoder-Lite: local model', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => cancelled.abort(new Error('cancelled')));
          const off = engine.onStatus((s) => progress.report({ message: progressMessage(s) }));
          try {
            return await (replace ? engine.start(spec, cancelled.signal) : engine.ensure(spec, cancelled.signal));
          } finally {
            off();
          }
        },
      );
      this.held = { engine, conn, key: specKey(spec) };
      this.chosen = this.held.key;
      this.log.info(`Local model ready at ${conn.baseUrl} (${conn.started ? 'started by this window' : 'shared'})`);
      for (const notice of conn.ready.notices) {
        if (!this.said.has(notice)) void vscode.window.showInformationMessage(`MapCoder-Lite: ${notice}`);
        this.said.add(notice);
      }
      return conn;
    } catch (e) {
      return this.failed(e, spec, idleMinutes, cancelled.signal.aborted);
    }
  }

  private async failed(e: unknown, spec: EngineSpec, idleMinutes: number, cancelled: boolean): Promise<EngineConnection | undefined> {
    if (cancelled) {
      this.item.show({ state: 'stopped', why: 'cancelled; a download resumes where it stopped next time' });
      this.log.info('Local model: cancelled');
      return undefined;
    }
    if (e instanceof EngineMismatchError) {
      const answer = await vscode.window.showWarningMessage(`MapCoder-Lite: ${e.message}`, 'Replace It');
      return answer ? this.connect(spec, idleMinutes, true) : undefined;
    }
    const why = e instanceof Error ? e.message : String(e);
    if (!(e instanceof EngineFailedError)) this.log.error(`Local model: ${e instanceof Error ? (e.stack ?? why) : why}`);
    this.log.error(`Local model failed: ${why}`);
    this.item.show({ state: 'failed', why });
    void vscode.window.showErrorMessage(`MapCoder-Lite: the local model did not start: ${why}`, 'Show Log', CHOOSE_MODEL).then((a) => {
      if (a === 'Show Log') this.log.show();
      if (a === CHOOSE_MODEL) void vscode.commands.executeCommand('mapcoderLite.chooseLocalModel');
    });
    return undefined;
  }

  private onStatus(engine: LocalEngine, s: EngineStatus): void {
    // A replaced engine's last words are not this window's status any more.
    if (this.held && this.held.engine !== engine) return;
    this.item.show(s);
    if (s.state === 'failed' || s.state === 'stopped') this.log.warn(`Local model ${s.state}: ${s.why}`);
  }
}

/** Where a relative model path in the settings is read from: the first workspace folder, else home. */
function folder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

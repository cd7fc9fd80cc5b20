// The local engine's decisions in the editor, as plain functions (vscode-free, unit-tested in Node):
// which way Solve goes, what the one notification offers, the engine spec from the settings, what the
// status bar says for each engine status, and the models the quick pick offers.
import { homedir } from 'node:os';
import { formatBytes } from '../../core/engine/gguf';
import { agentAdaptersProblem, sizingFor, type EngineSpec } from '../../core/engine/spec';
import { percentOf, type EngineStatus } from '../../core/engine/status';
import type { SuggestedModel } from '../../core/engine/suggest';
import { parseSource, SourceError } from '../../core/engine/source';
import type { Settings } from '../settings/read';

/** mapcoderLite.engine: the endpoint only; the local engine only; the endpoint if it answers, else the local one is offered. */
export const ENGINE_ROUTES = ['endpoint', 'local', 'auto'] as const;
export type EngineRoute = (typeof ENGINE_ROUTES)[number];

export const START_LOCAL = 'Start Local Model';
export const CHOOSE_MODEL = 'Choose a Model...';

/**
 * What Solve does before its first agent call: use the endpoint, start the local engine (its model is
 * set, or the user asked for `local`), or ask the user with one notification.
 */
export type SolveStep =
  | { kind: 'endpoint' }
  | { kind: 'local' }
  | { kind: 'choose' }
  | { kind: 'offer'; message: string; actions: string[] };

export interface RouteFacts {
  route: EngineRoute;
  /** Whether the endpoint answered (asked for `auto` only). */
  endpointAnswers?: boolean;
  endpoint: string;
  /** mapcoderLite.local.model is set. */
  modelSet: boolean;
  /** This window ran the local engine for the current settings already: it is used again (restarted if it stopped). */
  localChosen: boolean;
}

export function solveStep(f: RouteFacts): SolveStep {
  if (f.route === 'endpoint' || (f.route === 'auto' && f.endpointAnswers)) return { kind: 'endpoint' };
  if (f.localChosen) return { kind: 'local' };
  if (f.route === 'local') return f.modelSet ? { kind: 'local' } : { kind: 'choose' };
  return {
    kind: 'offer',
    message: `MapCoder-Lite: nothing answers at ${f.endpoint}. ${f.modelSet ? 'Start the local model on this machine instead?' : 'Run a model on this machine instead? Choose one (it is downloaded once).'}`,
    actions: f.modelSet ? [START_LOCAL, CHOOSE_MODEL] : [CHOOSE_MODEL],
  };
}

/** The engine to ask for, from the settings; a string: what is wrong with them (one line). */
export function specFromSettings(s: Settings, cwd: string): EngineSpec | string {
  if (!s.localModel) return 'no local model is set (mapcoderLite.local.model)';
  const problem = agentAdaptersProblem(s.localAdapters);
  if (problem) return `mapcoderLite.local.adapters: ${problem}`;
  try {
    const adapters = Object.fromEntries(Object.entries(s.localAdapters).map(([agent, a]) => [agent, absoluteSource(a, cwd)]));
    return {
      model: absoluteSource(s.localModel, cwd), adapters, ...sizingFor(s.k, s.maxTokens), threads: 0,
      ...(s.llamaServerPath ? { llamaServer: s.llamaServerPath.replace(/^~(?=\/|$)/, homedir()) } : {}),
    };
  } catch (e) {
    if (e instanceof SourceError) return e.message;
    throw e;
  }
}

/** A source with a file path made absolute (the engine's process has its own working folder). */
function absoluteSource(source: string, cwd: string): string {
  const parsed = parseSource(source, cwd);
  return parsed.kind === 'file' ? parsed.path : source.trim();
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Drawn as an error (failed) or a warning (stopped). */
  tone?: 'error' | 'warning';
}

/** The status bar item for each engine status. */
export function statusView(s: EngineStatus): StatusView {
  switch (s.state) {
    case 'starting':
      return { text: '$(sync~spin) Local model: starting', tooltip: 'The local engine is starting.' };
    case 'installing': {
      const pct = percentOf(s.bytes, s.expected);
      return {
        text: `$(cloud-download) Local model: installing ${pct ?? 0} %`,
        tooltip: `Installing the engine's runtime (node-llama-cpp, this platform's CPU build only): ${formatBytes(s.bytes)} of about ${formatBytes(s.expected)}. Once per machine.`,
      };
    }
    case 'downloading': {
      const pct = percentOf(s.received, s.total);
      return {
        text: `$(cloud-download) Local model: downloading ${pct === undefined ? formatBytes(s.received) : `${pct} %`}`,
        tooltip: `Downloading ${s.file}: ${formatBytes(s.received)}${s.total ? ` of ${formatBytes(s.total)}` : ''}. An interrupted download resumes.`,
      };
    }
    case 'loading':
      return { text: '$(sync~spin) Local model: loading', tooltip: `The local engine: ${s.detail}.` };
    case 'ready': {
      const r = s.ready;
      const adapters = Object.keys(r.adapters);
      const lines = [
        `Local model ready: ${r.model} (${r.kind === 'llama-server' ? 'your llama-server' : 'the built-in engine'}, pid ${r.pid})`,
        adapters.length ? `Adapters: ${adapters.join(', ')}` : 'No adapters: one plain model for all four agents',
        `${r.parallel} x ${r.ctx} tokens${r.memoryBytes ? `, ${formatBytes(r.memoryBytes)} resident` : ''}`,
        `${s.users} client${s.users === 1 ? '' : 's'} (windows and commands share it) at ${r.baseUrl}`,
      ];
      return { text: `$(vm-active) ${r.model}${adapters.length ? ` +${adapters.length}` : ''}`, tooltip: lines.join('\n') };
    }
    case 'failed':
      return { text: '$(error) Local model: failed', tooltip: `The local engine failed: ${s.why}`, tone: 'error' };
    case 'stopped':
      return { text: '$(debug-stop) Local model: stopped', tooltip: `The local engine stopped (${s.why}). The next Solve starts it again.`, tone: 'warning' };
  }
}

/** The starting notification's line: what the engine does, downloads with their percent. */
export function progressMessage(s: EngineStatus): string {
  switch (s.state) {
    case 'installing':
      return `installing the engine runtime (once): ${percentOf(s.bytes, s.expected) ?? 0} % of about ${formatBytes(s.expected)}`;
    case 'downloading': {
      const pct = percentOf(s.received, s.total);
      return `downloading ${s.file}: ${pct === undefined ? formatBytes(s.received) : `${pct} % (${formatBytes(s.received)} of ${formatBytes(s.total!)})`}`;
    }
    case 'loading':
      return s.detail;
    default:
      return s.state;
  }
}

/** A status that no longer serves: the next Solve starts a new engine. */
export function isOver(s: EngineStatus | undefined): boolean {
  return s === undefined || s.state === 'failed' || s.state === 'stopped';
}

export interface ModelItem {
  label: string;
  description?: string;
  detail?: string;
  /** The source to set; absent: the item asks for one (a file on disk, a name). */
  source?: string;
  ask?: 'file' | 'name';
}

/** The quick pick of models: those this machine's memory runs, with their download sizes, then a file or a name. */
export function modelItems(suggested: SuggestedModel[], current: string): ModelItem[] {
  return [
    ...suggested.map((m) => ({
      label: m.label,
      description: `${formatBytes(m.downloadBytes)} download${m.source === current ? ' (current)' : ''}`,
      detail: `${m.source}: needs about ${formatBytes(m.memoryBytes)} of memory`,
      source: m.source,
    })),
    { label: '$(file) A GGUF file on disk...', ask: 'file' },
    { label: '$(link) An https:// URL or hf:owner/repo:QUANT...', ask: 'name' },
  ];
}

/** The typed name, checked as the engine reads it (undefined: fine). */
export function sourceProblem(value: string): string | undefined {
  try {
    parseSource(value);
    return undefined;
  } catch (e) {
    if (e instanceof SourceError) return e.message;
    throw e;
  }
}

import type { RunState, RunSummary } from './run-state';

// The messages between the extension and the side panel's webview. Both sides import this file; the
// extension validates everything it receives with `isFromWebview` (a webview is not trusted input).

export type { RunState, RunSummary } from './run-state';

export interface PanelConfig {
  /** false: the workspace is untrusted and nothing is executed. */
  trusted: boolean;
  endpoint: string;
}

/** Text streamed into one agent call since the last message, in order. */
export interface TextAppend {
  callId: string;
  text: string;
}

export type ToWebview =
  /** Full replay (on 'ready'): the history and the run the panel shows. */
  | { type: 'state'; runs: RunSummary[]; current?: RunState }
  /** The history changed (a run started, ended, or was evicted). */
  | { type: 'history'; runs: RunSummary[] }
  /** Show this run: a full snapshot that replaces whatever the panel had for it. */
  | { type: 'run'; run: RunState }
  /** Streamed tokens for the run being shown, since the last 'run' or 'patch'. */
  | { type: 'patch'; runId: string; appends: TextAppend[] }
  | { type: 'config'; config: PanelConfig };

export type RerunnableStep = 'retrieval' | 'planning' | 'coding';
export const RERUNNABLE_STEPS: readonly RerunnableStep[] = ['retrieval', 'planning', 'coding'];

export type FromWebview =
  | { type: 'ready' }
  | { type: 'solve' }
  | { type: 'cancel'; runId: string }
  | { type: 'rerunFromPlan'; runId: string; planIndex: number; plan: string }
  | { type: 'rerunStep'; runId: string; step: RerunnableStep }
  | { type: 'accept'; runId: string }
  | { type: 'reject'; runId: string }
  | { type: 'openRun'; runId: string }
  | { type: 'openFile'; file: string }
  /** Keep the counterexample of the run's stress check `check` as one of the user's tests. */
  | { type: 'keepTest'; runId: string; check: number }
  /** Reveal the judge terminal, where every program of the run was compiled and tested. */
  | { type: 'showJudge' };

/** Bounds on what the webview may send: ids are short, an edited plan is text a person typed. */
export const MAX_ID_LENGTH = 200;
export const MAX_PLAN_LENGTH = 100_000;
export const MAX_PATH_LENGTH = 4096;

type FieldCheck = (v: unknown) => boolean;

const id: FieldCheck = (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const planText: FieldCheck = (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_PLAN_LENGTH;
const path: FieldCheck = (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_PATH_LENGTH;
const index: FieldCheck = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1000;
const step: FieldCheck = (v) => typeof v === 'string' && (RERUNNABLE_STEPS as readonly string[]).includes(v);

/** The fields of each message besides `type`; a message must have exactly these. */
const SHAPES: Record<FromWebview['type'], Record<string, FieldCheck>> = {
  ready: {},
  solve: {},
  cancel: { runId: id },
  rerunFromPlan: { runId: id, planIndex: index, plan: planText },
  rerunStep: { runId: id, step },
  accept: { runId: id },
  reject: { runId: id },
  openRun: { runId: id },
  openFile: { file: path },
  keepTest: { runId: id, check: index },
  showJudge: {},
};

export function isFromWebview(x: unknown): x is FromWebview {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const msg = x as Record<string, unknown>;
  if (typeof msg.type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, msg.type)) return false;
  const shape = SHAPES[msg.type as FromWebview['type']];
  const keys = Object.keys(msg);
  if (keys.length !== Object.keys(shape).length + 1) return false;
  return keys.every((k) => k === 'type' || (Object.prototype.hasOwnProperty.call(shape, k) && shape[k](msg[k])));
}

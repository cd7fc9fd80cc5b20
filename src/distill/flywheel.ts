import * as path from 'node:path';
import type { PipelineEvent } from '../core/events';
import { readTrace } from '../core/trace';
import { appendJsonl, readJsonlLog } from './files';
import { examplesFrom, successfulPath, trajectoryOf } from './trajectory';
import type { DistillRecord } from './types';

export const FLYWHEEL_FILE = 'flywheel.jsonl';

export interface FlywheelResult {
  appended: boolean;
  examples: number;
  /** Why nothing was appended, or what was. */
  reason: string;
}

/**
 * The in-editor flywheel: called when the user accepts a solution, with the run's trace file. A run
 * whose program passed all its sample tests adds one record to <datasetDir>/flywheel.jsonl holding
 * the calls on its successful path as training examples (the same choice as collect, judged on the
 * samples since the editor has no hidden tests). A run already there (same run id) is not added twice.
 */
export function appendAcceptedTrajectory(datasetDir: string, traceFile: string): FlywheelResult {
  const events = readTrace(traceFile) as PipelineEvent[];
  const t = trajectoryOf(events);
  const result = t.result;
  if (!t.runId || !result) return { appended: false, examples: 0, reason: 'the trace holds no finished run' };
  if (result.status !== 'passed') return { appended: false, examples: 0, reason: `the run did not pass all its sample tests (${result.status})` };
  if (t.mode !== 'mapcoder') return { appended: false, examples: 0, reason: 'a Direct run trains no adapter' };
  const file = path.join(datasetDir, FLYWHEEL_FILE);
  if (readJsonlLog<DistillRecord>(file).some((r) => r.id === t.runId)) return { appended: false, examples: 0, reason: 'this run is already in the dataset' };
  const started = events.find((e) => e.type === 'run-started');
  const title = started?.type === 'run-started' ? started.problem.title : '';
  const got = examplesFrom(successfulPath(t), t, { source: 'flywheel', problem: `editor/${t.runId}` });
  if (!got.examples.length) return { appended: false, examples: 0, reason: 'no call on the successful path gave a clean example' };
  const record: DistillRecord = {
    id: t.runId, dataset: 'editor', source: 'flywheel', lang: t.lang, k: t.k, t: started?.type === 'run-started' ? started.t : 0,
    status: result.status, kept: true, reason: `accepted in the editor${title ? `: ${title}` : ''}`,
    samples: { passed: result.passed, total: result.total }, hidden: { passed: result.passed, total: result.total, available: false },
    examples: got.examples, promptsHash: t.promptsHash, calls: Object.values(result.agents).reduce((n, a) => n + a.calls, 0),
    seconds: Math.round(result.ms / 100) / 10,
  };
  appendJsonl(file, record);
  return { appended: true, examples: got.examples.length, reason: `${got.examples.length} examples added` };
}

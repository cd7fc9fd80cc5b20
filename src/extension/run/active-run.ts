import type * as vscode from 'vscode';
import type { JudgeReport } from '../../core/types';
import type { ProgressTracker } from './progress-tracker';
import type { Target } from '../target';
import type { Resume } from './resume';

/** What a run does: solve (perhaps resuming an earlier run) or debug the user's own judged program. */
export type Work =
  | { kind: 'solve'; from?: Resume }
  | { kind: 'debug'; code: string; report: JudgeReport };

/** A run in progress. */
export interface ActiveRun {
  /** The pipeline's run id, known from its first event. */
  id?: string;
  target: Target;
  abort: AbortController;
  tracker: ProgressTracker;
  progress?: vscode.Progress<{ message?: string }>;
  finished: Promise<void>;
}

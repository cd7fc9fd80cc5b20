import type { CallRecord, RunState, StepName, StepStatus, StressRecord } from '../run-state';

// The words and icons (codicons) for steps, runs, calls, stress checks and proposals.

export const STEP_LABEL: Record<StepName, string> = { retrieval: 'Retrieval', planning: 'Planning', coding: 'Coding', debugging: 'Debugging', stress: 'Stress tests' };
export const STEP_ICON: Record<StepStatus, string> = {
  waiting: 'codicon-circle-outline',
  running: 'codicon-loading codicon-modifier-spin',
  done: 'codicon-check',
  failed: 'codicon-error',
  skipped: 'codicon-circle-slash',
};
export const RUN_ICON: Record<RunState['status'], string> = {
  running: 'codicon-loading codicon-modifier-spin',
  passed: 'codicon-pass-filled',
  untested: 'codicon-question',
  partial: 'codicon-warning',
  failed: 'codicon-error',
  unverified: 'codicon-question',
  error: 'codicon-error',
  cancelled: 'codicon-stop-circle',
};
export const KIND_LABEL: Record<CallRecord['step']['kind'], string> = {
  retrieval: 'retrieval', plan: 'plan', confidence: 'confidence', code: 'coding', direct: 'direct coding', debug: 'debugging',
  brute: 'brute force', generator: 'input generator', stress: 'stress re-test', checker: 'checker',
};
export const CALL_ICON: Record<CallRecord['status'], string> = {
  running: 'codicon-loading codicon-modifier-spin', judging: 'codicon-beaker', done: 'codicon-check', failed: 'codicon-error',
};
export const STRESS_LABEL: Record<StressRecord['status'], string> = {
  running: 'running', passed: 'agrees', difference: 'differs', untrusted: 'no trusted brute force', 'no-inputs': 'no inputs', unsupported: 'not for this problem', 'no-checker': 'waits for a checker',
};
export const PROPOSAL_LABEL: Record<Exclude<RunState['proposal'], 'none' | 'showing'>, string> = {
  accepted: 'Accepted into the editor.', rejected: 'Rejected; the file was left as it was.', stale: 'The proposal is no longer shown.',
};

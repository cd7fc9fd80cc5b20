import * as vscode from 'vscode';
import { keepStressTest } from '../commands/keep-test';
import { solveActiveEditor } from '../commands/solve';
import type { RunLifecycle } from '../run/lifecycle';
import { resumeFromPlan, resumeFromStep } from '../run/resume';
import type { Services } from '../services';
import type { TestsView } from '../tests-view';
import type { PanelActions } from './provider';

/** What the panel's buttons do: each is the run lifecycle's, the proposals' or a command's. */
export function panelActions(s: Services, runs: RunLifecycle, tests: TestsView): PanelActions {
  return {
    solveActiveEditor: () => solveActiveEditor(s, runs, false),
    cancel: (runId) => runs.cancel(runId),
    rerunFromPlan: (runId, planIndex, editedPlan) => runs.rerun(runId, (state) => resumeFromPlan(state, planIndex, editedPlan)),
    rerunStep: (runId, step) => runs.rerun(runId, (state) => resumeFromStep(state, step)),
    accept: (runId) => s.proposals.accept(runId),
    reject: (runId) => s.proposals.reject(runId),
    openFile: (file) => vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false }),
    keepTest: (runId, check) => keepStressTest(s, runId, check, () => void tests.refresh()),
    showJudge: () => s.terminal.show(false),
  };
}

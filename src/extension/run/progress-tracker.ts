// What the status bar item and the progress notification say about a run: the current agent and
// round, from the pipeline's events (vscode-free, unit-tested).
import type { PipelineEvent, SolveResult, StepRef } from '../../core/events';

export class ProgressTracker {
  private label = 'starting';
  private plansTotal = 1;
  private readonly plansDone = new Set<number>();
  private t = 0;

  get text(): string {
    return this.label;
  }

  /** Feeds one event; returns the new label when it changed. */
  update(e: PipelineEvent): string | undefined {
    const before = this.label;
    switch (e.type) {
      case 'run-started':
        this.plansTotal = e.k;
        this.t = e.t;
        this.label = 'starting';
        break;
      case 'retrieval-done':
        this.plansTotal = Math.max(1, e.result.exemplars.length);
        break;
      case 'agent-started':
        this.label = this.stepLabel(e.step);
        break;
      case 'agent-finished':
        if (e.step.kind === 'confidence' && e.step.plan !== undefined) {
          this.plansDone.add(e.step.plan);
          this.label = this.planningLabel();
        }
        break;
      case 'candidate':
        this.label = `${this.stepLabel(e.step)}: ${e.candidate.report.passed}/${e.candidate.report.total} samples pass`;
        break;
      case 'done':
        this.label = doneLabel(e.result);
        break;
      default:
        break;
    }
    return this.label === before ? undefined : this.label;
  }

  /** The judge works on a program of the run now: compiling it, or running it on the tests. */
  judging(purpose: string, phase: 'compiling' | 'testing'): string {
    this.label = `${phase} ${purpose}`;
    return this.label;
  }

  private planningLabel(): string {
    return `planning ${Math.min(this.plansDone.size, this.plansTotal)}/${this.plansTotal}`;
  }

  private stepLabel(step: StepRef): string {
    switch (step.kind) {
      case 'retrieval':
        return 'retrieval';
      case 'plan':
      case 'confidence':
        return this.planningLabel();
      default:
        return this.programLabel(step);
    }
  }

  private programLabel(step: StepRef): string {
    const plan = step.plan !== undefined && step.plan >= 0 ? ` plan ${step.plan + 1}` : '';
    if (step.kind === 'debug') return `debugging${plan} round ${step.round ?? 1}${this.t ? `/${this.t}` : ''}`;
    if (step.kind === 'direct') return 'coding (direct)';
    if (step.kind === 'brute') return `stress tests${plan}: brute force`;
    if (step.kind === 'generator') return `stress tests${plan}: input generator`;
    if (step.kind === 'stress') return `stress tests${plan}`;
    if (step.kind === 'checker') return 'writing a checker';
    return `coding${plan}`;
  }
}

export function doneLabel(r: SolveResult): string {
  switch (r.status) {
    case 'passed':
      return `passed ${r.passed}/${r.total} samples`;
    case 'untested':
      return 'done (no samples to test)';
    case 'partial':
    case 'failed':
      return r.code ? `best passes ${r.passed}/${r.total} samples` : 'no program';
    case 'cancelled':
      return 'cancelled';
    case 'unverified':
      return `unverified: ${r.total} samples run, any answer accepted and no checker`;
    case 'error':
      return 'stopped by an error';
  }
}

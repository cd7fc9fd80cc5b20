import type { ScriptedReply, ScriptedRequest } from '../../fixtures/llm-server/server';
import type { EvalProblem } from '../../../src/eval/datasets';
import { chainIndex, confidenceReply, isConfidenceCall, planReply, retrievalReply } from './mapcoder-script';

// A scripted endpoint for runs over many problems at once: each request is routed by the problem it is
// about (found in the prompt), by which call it is (recognised by the prompt's wording) and by adapter.

export interface ProblemScript {
  /** Retrieval reply (default: well-formed with k exemplars). */
  retrieval?: ScriptedReply;
  /** Coding replies in call order (the last repeats). */
  coding: ScriptedReply[];
  /** Debugging replies in call order (the last repeats). */
  debugging?: ScriptedReply[];
}

export interface RouterOptions<S extends ProblemScript> {
  /** Exemplars in the default retrieval reply. */
  k?: number;
  /** The debugging reply for a problem whose script has none. */
  noDebugging?: ScriptedReply;
  /** The reply to any other call (default: HTTP 500). */
  other?: (script: S, req: ScriptedRequest) => ScriptedReply;
}

export const textOf = (req: ScriptedRequest) => req.messages.map((m) => m.content).join('\n');
export const keyOf = (p: EvalProblem) => (p.problem.style.kind === 'function' ? p.problem.style.name : p.problem.statement.slice(0, 60));

export type CallKind = 'retrieval' | 'plan' | 'confidence' | 'coding' | 'debugging' | 'supervisor' | 'other';

/** Which call a request is, from the prompt's wording. */
export function callKind(req: ScriptedRequest): CallKind {
  const text = textOf(req);
  if (text.includes('most to blame')) return 'supervisor';
  if (isConfidenceCall(req)) return 'confidence';
  if (text.includes('Write a numbered, step-by-step plan')) return 'plan';
  if (text.includes('problems you have already solved')) return 'retrieval';
  if (text.includes('It fails these sample tests')) return 'debugging';
  if (text.includes('Plan to implement')) return 'coding';
  return 'other';
}

/** The problem a request is about. */
export function problemOf(problems: EvalProblem[], req: ScriptedRequest): EvalProblem | undefined {
  const text = textOf(req);
  return problems.find((p) => text.includes(keyOf(p)));
}

/** Plans rated 80 then 60; coding and debugging replies queued per problem and adapter. */
export function problemRouter<S extends ProblemScript>(problems: EvalProblem[], scripts: Map<string, S>, opts: RouterOptions<S> = {}) {
  const { k = 2, noDebugging = { text: 'no idea' }, other = () => ({ status: 500, text: 'unexpected call' }) } = opts;
  const queues = new Map<string, ScriptedReply[]>();
  const next = (key: string, list: ScriptedReply[]) => {
    if (!queues.has(key)) queues.set(key, [...list]);
    const q = queues.get(key)!;
    return q.length > 1 ? q.shift()! : q[0];
  };
  return (req: ScriptedRequest): ScriptedReply => {
    const p = problemOf(problems, req);
    if (!p) return { status: 500, text: 'no problem matches this prompt' };
    const s = scripts.get(p.id)!;
    switch (callKind(req)) {
      case 'confidence':
        return confidenceReply([80, 60][chainIndex(req)] ?? 50);
      case 'plan':
        return planReply(chainIndex(req));
      case 'retrieval':
        return s.retrieval ?? retrievalReply(k);
      case 'debugging':
        return next(`${req.model} debug ${p.id}`, s.debugging ?? [noDebugging]);
      case 'coding':
        return next(`${req.model} code ${p.id}`, s.coding);
      default:
        return other(s, req);
    }
  };
}

// Per-agent tallies of format problems: the paper's "format failure" figure.
import { AGENTS, AgentName, FormatIssue } from '../types';
import type { ParseIssue } from './issues';

export class FormatCounter {
  private readonly tally = Object.fromEntries(AGENTS.map((a) => [a, { recovered: 0, unrecovered: 0 }])) as Record<
    AgentName,
    { recovered: number; unrecovered: number }
  >;

  /** Counts one reply's issues and returns them tagged with the agent, ready for events. */
  add(agent: AgentName, issues: ParseIssue[]): FormatIssue[] {
    for (const i of issues) this.tally[agent][i.recovered ? 'recovered' : 'unrecovered']++;
    return issues.map((i) => ({ agent, kind: i.kind, detail: i.detail, recovered: i.recovered }));
  }

  counts(): Record<AgentName, { recovered: number; unrecovered: number }> {
    return Object.fromEntries(AGENTS.map((a) => [a, { ...this.tally[a] }])) as Record<
      AgentName,
      { recovered: number; unrecovered: number }
    >;
  }

  total(): number {
    return AGENTS.reduce((sum, a) => sum + this.tally[a].recovered + this.tally[a].unrecovered, 0);
  }
}

// The retrieval agent's reply: k exemplar problems (description, code, planning) and an algorithm.
import { issue, Parsed, ParseIssue } from './issues';
import { ALGORITHM, CODE, DESCRIPTION, PLANNING, PROBLEM } from './names';
import { codeText, fieldText } from './text';
import { scanTags } from './xml';

export interface Exemplar {
  description: string;
  code: string;
  planning: string;
}

const SPEC = {
  fields: { description: DESCRIPTION, code: CODE, planning: PLANNING, algorithm: ALGORITHM },
  group: { names: PROBLEM, fields: ['description', 'code', 'planning'] },
};

/**
 * Exemplars are capped at k (a k that is not a positive number means no cap). A problem missing a
 * field keeps '' there; a problem with no field at all is dropped. `ok=false` only when neither an
 * exemplar nor an algorithm was found: with either one the pipeline can still plan.
 */
export function parseRetrieval(reply: string, k: number): Parsed<{ exemplars: Exemplar[]; algorithm: string }> {
  const scan = scanTags(reply, SPEC);
  const issues: ParseIssue[] = [...scan.issues];

  let exemplars: Exemplar[] = [];
  scan.groups.forEach((g, i) => {
    if (g.description === undefined && g.code === undefined && g.planning === undefined) {
      issues.push(issue('empty_problem', `problem ${i + 1} has no description, code or planning; dropped`));
      return;
    }
    for (const f of ['description', 'code', 'planning'] as const) {
      if (g[f] === undefined) issues.push(issue('missing_field', `problem ${i + 1} has no <${f}>`));
    }
    exemplars.push({
      description: fieldText(g.description ?? '', 'description', issues),
      code: codeText(g.code ?? '', 'code', issues),
      planning: fieldText(g.planning ?? '', 'planning', issues),
    });
  });

  const cap = k >= 1 ? Math.floor(k) : Infinity;
  if (exemplars.length > cap) {
    issues.push(issue('too_many_problems', `${exemplars.length} problems for k=${cap}; keeping the first ${cap}`));
    exemplars = exemplars.slice(0, cap);
  } else if (exemplars.length === 0) {
    issues.push(issue('no_problems', 'no exemplar problem found', false));
  } else if (exemplars.length < cap) {
    issues.push(issue('too_few_problems', `${exemplars.length} problems for k=${cap}`));
  }

  const algorithms = (scan.top.algorithm ?? []).map((a) => fieldText(a, 'algorithm', issues));
  const algorithm = algorithms.find((a) => a !== '') ?? '';
  if (algorithms.length > 1) issues.push(issue('duplicate_field', `${algorithms.length} <algorithm> sections; keeping the first`));
  if (!algorithm) issues.push(issue('missing_algorithm', 'no <algorithm> section', false));

  return { value: { exemplars, algorithm }, ok: exemplars.length > 0 || algorithm !== '', issues };
}

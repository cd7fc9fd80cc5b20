// The debugging agent's reply: a short corrected plan, then the corrected program in one fence.
import type { Lang } from '../types';
import { locateCode } from './code';
import { issue, Parsed, ParseIssue } from './issues';
import { CODE, PLAN } from './names';
import { cleanPlanText } from './plan';
import { codeText, fieldText } from './text';
import { scanTags } from './xml';

/** Also accepts `<root><plan>..</plan><code>..</code></root>` (with an issue). ok follows the code. */
export function parseDebugReply(reply: string, lang: Lang): Parsed<{ plan: string; code: string }> {
  const scan = scanTags(reply, { fields: { plan: PLAN, code: CODE } });
  const tagPlan = scan.top.plan?.[0];
  const tagCode = scan.top.code?.find((c) => c.trim() !== '');
  const issues: ParseIssue[] = [];
  let plan: string;
  let code: Parsed<string>;
  if (tagPlan !== undefined || tagCode !== undefined) {
    issues.push(issue('xml_debug_shape', 'plan/code in XML tags instead of text and a fence'), ...scan.issues);
    plan = tagPlan === undefined ? '' : cleanPlanText(fieldText(tagPlan, 'plan', issues));
    if (tagCode !== undefined) {
      const value = codeText(tagCode, 'code', issues);
      code = { value, ok: value !== '', issues: [] };
    } else {
      code = locateCode(reply, lang);
    }
  } else {
    const loc = locateCode(reply, lang);
    plan = loc.end > 0 ? cleanPlanText(reply.slice(0, loc.start)) : '';
    code = loc;
  }
  issues.push(...code.issues);
  if (!plan) issues.push(issue('missing_plan', 'no corrected plan before the code'));
  return { value: { plan, code: code.value }, ok: code.ok, issues };
}

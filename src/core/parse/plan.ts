// The planning agent's reply is free text; models sometimes wrap it in a fence or a <plan> tag.
import { unwrapFence } from './fences';
import { issue, Parsed, ParseIssue } from './issues';
import { PLAN } from './names';
import { fieldText } from './text';
import { scanTags } from './xml';

export function parsePlan(reply: string): Parsed<string> {
  const issues: ParseIssue[] = [];
  let plan = reply.trim();
  const tagged = scanTags(reply, { fields: { plan: PLAN }, expectRoot: false }).top.plan?.[0];
  const fenced = unwrapFence(plan);
  if (tagged !== undefined) {
    issues.push(issue('wrapped_plan', 'plan wrapped in a <plan> tag'));
    plan = fieldText(tagged, 'plan', issues);
  } else if (fenced) {
    issues.push(issue('wrapped_plan', 'plan wrapped in a code fence'));
    plan = fenced.content.trim();
  }
  if (!plan) issues.push(issue('empty_plan', 'the plan is empty', false));
  return { value: plan, ok: plan !== '', issues };
}

// "Corrected plan:", "## Plan", "**Revised Plan**:" ... at the start of a debugging reply.
const PLAN_HEADING = /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:(?:corrected|revised|updated|new|fixed|modified|improved)[ \t]+)?plan(?:ning)?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*/i;
// "Corrected code:", "## Code", "**Fixed program**" ... just before the code block.
const CODE_HEADING = /\n[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:(?:corrected|revised|updated|fixed|final|modified|improved)[ \t]+)?(?:code|program|solution|implementation)(?:[ \t]+in[ \t]+[\w+#]+)?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*$/i;

// "Here is the corrected code.", "Below is the updated program in Python:" ... as the plan's last line.
const CODE_INTRO = /\n[ \t]*(?:here(?:'s|\s+is)|below\s+is|the\s+following\s+is)\b[^\n]{0,80}\b(?:code|program|solution|implementation)\b[^\n]{0,40}$/i;

/** The plan part of a debugging reply: the text before the code, without its headings and lead-in line. */
export function cleanPlanText(text: string): string {
  return ('\n' + text.trim()).replace(CODE_INTRO, '').replace(CODE_HEADING, '').trim().replace(PLAN_HEADING, '').trim();
}

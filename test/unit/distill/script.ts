// Scripted teacher/student replies for the distillation tests (routed by ../helpers/problem-router).
import type { ScriptedReply } from '../../fixtures/llm-server/server';

export const debugReply = (code: string): ScriptedReply => ({ text: `Corrected plan: compare the two numbers.\n\`\`\`python\n${code}\`\`\`\n` });

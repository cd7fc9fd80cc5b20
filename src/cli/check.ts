import { LlmClient } from '../core/llm';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, endpointConfig, parse } from './args';

export const CHECK_HELP = `Usage: mapcoder-lite check [endpoint options] [--json]
Lists the server's models and says, per agent, whether its model or LoRA adapter is there.
Exits 0 when every agent can be served, 3 otherwise.

${ENDPOINT_HELP}`;

export async function checkCommand(argv: string[], out: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, { ...ENDPOINT_OPTIONS, json: { type: 'boolean' } });
  if (values.help) return out.write(`${CHECK_HELP}\n`), 0;
  const check = await new LlmClient(endpointConfig(values)).check(signal);
  if (values.json) {
    out.write(`${JSON.stringify(check, null, 2)}\n`);
  } else {
    const lines = [`${check.baseUrl} (${check.backend}): ${check.message}`];
    if (check.reachable) {
      lines.push(`server models: ${check.serverModels.join(', ') || '(none)'}`);
      for (const a of check.agents) lines.push(`  ${a.available ? 'ok     ' : 'MISSING'} ${a.agent.padEnd(10)} -> ${a.model}${a.note ? `  (${a.note})` : ''}`);
    }
    out.write(`${lines.join('\n')}\n`);
  }
  return check.ok ? 0 : 3;
}

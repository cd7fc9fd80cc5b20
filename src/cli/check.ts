import { LlmClient } from '../core/llm';
import { printable } from '../core/printable';
import { describeConstraint } from '../core/llm/constrain';
import { describeContext } from '../core/llm/context';
import { findAndCheck, USUAL_PORTS, type CheckedServer } from '../core/llm/discover';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, endpointConfig, parse, UsageError } from './args';

export const CHECK_HELP = `Usage: mapcoder-lite check [endpoint options] [--scan PORTS|off] [--json]
Lists the server's models and says, per agent, whether its model or LoRA adapter is there.
When nothing answers at the endpoint, looks for model servers on this machine's usual ports
(--scan, default ${USUAL_PORTS.map((p) => `${p.port} ${p.product}`).join(', ')}) and says how to use them.
Exits 0 when every agent can be served, 3 otherwise.

${ENDPOINT_HELP}`;

export async function checkCommand(argv: string[], out: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, { ...ENDPOINT_OPTIONS, json: { type: 'boolean' }, scan: { type: 'string' } });
  if (values.help) return out.write(`${CHECK_HELP}\n`), 0;
  const ports = scanPorts(values.scan);
  const cfg = endpointConfig(values);
  const check = await new LlmClient(cfg).check(signal);
  const found = check.reachable || !ports.length ? [] : await findAndCheck(cfg, ports, signal);
  if (values.json) {
    out.write(`${JSON.stringify({ ...check, ...(check.reachable ? {} : { found }) }, null, 2)}\n`);
  } else {
    const lines = [`${check.baseUrl} (${check.backend}): ${check.message}`];
    if (check.reachable) {
      lines.push(`server models: ${check.serverModels.join(', ') || '(none)'}`);
      for (const a of check.agents) lines.push(`  ${a.available ? 'ok     ' : 'MISSING'} ${a.agent.padEnd(10)} -> ${a.model}${a.note ? `  (${a.note})` : ''}`);
      if (check.context) lines.push(describeContext(check.context, cfg.sampling.maxTokens));
      lines.push(describeConstraint(cfg.backend, cfg.constrain ?? 'auto'));
    } else if (ports.length) {
      lines.push(...foundLines(found, ports));
    }
    out.write(`${printable(lines.join('\n'))}\n`);
  }
  return check.ok ? 0 : 3;
}

function scanPorts(value: string | undefined): number[] {
  if (value === undefined) return USUAL_PORTS.map((p) => p.port);
  if (value === 'off') return [];
  const ports = value.split(',').map((p) => Number(p.trim()));
  if (!ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new UsageError(`--scan takes ports like 8000,8080 or "off", not "${value}"`);
  return ports;
}

function foundLines(found: CheckedServer[], ports: number[]): string[] {
  if (!found.length) return [`Nothing answers on this machine's ports ${ports.join(', ')} either: start your model server, or pass --endpoint.`];
  return [
    'Found on this machine:',
    ...found.flatMap(({ server, check }) => [
      `  ${server.product} at ${server.baseUrl}: ${check.message}`,
      `    use it: --endpoint ${server.baseUrl} --backend ${server.backend}`,
    ]),
  ];
}

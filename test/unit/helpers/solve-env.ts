import { PromptSet } from '../../../src/core/agents/prompts';
import { Judge } from '../../../src/core/judge';
import { AGENTS } from '../../../src/core/types';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';

export interface SolveEnv {
  server: ScriptedServer;
  judge: Judge;
  prompts: PromptSet;
}

/**
 * For the tests of one describe block: a scripted endpoint serving the four adapters and a real judge,
 * started once and closed after; every test starts with all four adapters, an empty request log and no hit counts.
 */
export function useSolveEnv(): SolveEnv {
  const env = { prompts: PromptSet.load() } as SolveEnv;
  before(async () => {
    env.server = await startScriptedServer({ models: [...AGENTS] });
    env.judge = new Judge();
  });
  after(async () => {
    await env.server.close();
    await env.judge.dispose();
  });
  beforeEach(() => {
    env.server.setModels([...AGENTS]);
    env.server.requests.length = 0;
    for (const route of Object.keys(env.server.hits)) delete env.server.hits[route];
  });
  return env;
}

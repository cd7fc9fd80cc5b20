import * as vscode from 'vscode';
import type { CheckedServer } from '../../core/llm/discover';
import type { Services } from '../services';
import { ensureTrusted } from '../user-guards';

type Item = vscode.QuickPickItem & { use?: CheckedServer; settings?: true };

/**
 * Checks the endpoint and the agents' adapters; the answer is a quick pick. When nothing answers there,
 * the usual local ports are searched and each server found is offered: one click sets the endpoint and
 * backend settings, then checks again.
 */
export async function checkEndpoint(s: Services): Promise<void> {
  if (!ensureTrusted()) return;
  const cfg = await s.settings.endpoint();
  const { LlmClient } = await import('../../core/llm');
  const { findAndCheck, USUAL_PORTS } = await import('../../core/llm/discover');
  const answer = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: checking ${cfg.baseUrl}…`, cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      try {
        const check = await new LlmClient(cfg).check(ac.signal);
        if (check.reachable) return { check, found: [] };
        progress.report({ message: 'nothing answers there; looking at the usual local ports…' });
        return { check, found: await findAndCheck(cfg, USUAL_PORTS.map((p) => p.port), ac.signal) };
      } catch (err) {
        if (ac.signal.aborted) return undefined;
        throw err;
      }
    },
  );
  if (!answer) return;
  const { check, found } = answer;
  s.log.info(`Endpoint check: ${check.message}`);
  for (const f of found) s.log.info(`Found ${f.server.product} at ${f.server.baseUrl}: ${f.check.message}`);
  const items: Item[] = [
    { label: `${check.ok ? '$(pass)' : '$(error)'} ${check.baseUrl} (${check.backend})`, detail: check.message },
    ...check.agents.map((a) => ({ label: `${a.available ? '$(check)' : '$(close)'} ${a.agent}`, description: a.model, detail: a.note })),
  ];
  if (check.reachable) items.push({ label: '$(server) server models', detail: check.serverModels.join(', ') || '(none)' });
  else if (found.length) items.push(...found.map((f) => ({ label: `$(plug) Use ${f.server.product} at ${f.server.baseUrl}`, description: `backend ${f.server.backend}`, detail: f.check.message, use: f })));
  else items.push({ label: '$(search) Nothing answers on the usual local ports either', detail: USUAL_PORTS.map((p) => `${p.product} ${p.port}`).join(', ') });
  const pick = await vscode.window.showQuickPick<Item>([...items, { label: '$(gear) Open MapCoder-Lite settings', settings: true }], {
    title: check.ok ? 'MapCoder-Lite: endpoint ready' : found.length ? 'MapCoder-Lite: endpoint not answering; servers found on this machine' : 'MapCoder-Lite: endpoint problem',
    placeHolder: check.message,
  });
  if (pick?.settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite');
  if (pick?.use) {
    await useServer(pick.use);
    await checkEndpoint(s);
  }
}

/** Points the endpoint settings at `f`, where the user keeps them (this workspace's settings if it sets one, else theirs). */
async function useServer(f: CheckedServer): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('mapcoderLite');
  const target = cfg.inspect('endpoint')?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update('endpoint', f.server.baseUrl, target);
  await cfg.update('backend', f.server.backend, target);
}

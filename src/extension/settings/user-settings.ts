import * as vscode from 'vscode';
import type { EndpointConfig } from '../../core/llm/config';
import { endpointConfigFrom } from './core-options';
import { readSettings, type Settings } from './read';

/** The API key lives in SecretStorage under this name, never in settings. */
export const API_KEY_SECRET = 'mapcoderLite.apiKey';

/**
 * The user's settings (VS Code's configuration, read when a command needs them: never cached, settings
 * change) and the endpoint's API key (SecretStorage). A setting that cannot be used is logged each
 * time and shown once a session.
 */
export class UserSettings {
  private readonly reported = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {}

  read(): Settings {
    const cfg = vscode.workspace.getConfiguration('mapcoderLite');
    const { settings, problems } = readSettings((key) => cfg.get(key));
    for (const p of problems) {
      this.log.warn(p);
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      void vscode.window.showWarningMessage(`MapCoder-Lite: ${p}`, 'Open Settings').then((a) => {
        if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite');
      });
    }
    return settings;
  }

  async endpoint(settings: Settings = this.read()): Promise<EndpointConfig> {
    return endpointConfigFrom(settings, await this.secrets.get(API_KEY_SECRET));
  }

  /** "Set API Key": a password box; an empty entry removes the stored key. */
  async setApiKey(): Promise<void> {
    const had = (await this.secrets.get(API_KEY_SECRET)) !== undefined;
    const key = await vscode.window.showInputBox({
      title: 'MapCoder-Lite: API key for the model endpoint',
      prompt: had ? 'A key is stored. Enter a new one, or leave empty and press Enter to remove it.' : 'Sent as a Bearer token. Local vLLM/llama.cpp/Ollama servers usually need none.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim()) {
      await this.secrets.store(API_KEY_SECRET, key.trim());
      this.log.info('API key stored in VS Code secret storage.');
      void vscode.window.showInformationMessage('MapCoder-Lite: API key stored (in VS Code\'s secret storage).');
    } else {
      await this.secrets.delete(API_KEY_SECRET);
      this.log.info('API key removed from secret storage.');
      void vscode.window.showInformationMessage(had ? 'MapCoder-Lite: API key removed.' : 'MapCoder-Lite: no API key stored.');
    }
  }
}

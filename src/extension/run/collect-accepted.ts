import { join } from 'node:path';
import type { Services } from '../services';

/** The opt-in flywheel: an accepted run that passed every sample becomes training data. */
export async function collectAccepted(s: Services, runId: string, trace: string | undefined): Promise<void> {
  const settings = s.settings.read();
  if (!settings.collectAccepted || !trace) return;
  const dir = settings.datasetDir || join(s.context.globalStorageUri.fsPath, 'dataset');
  try {
    const { appendAcceptedTrajectory } = await import('../../distill/flywheel');
    const r = appendAcceptedTrajectory(dir, trace);
    s.log.info(r.appended ? `Run ${runId}: ${r.examples} training examples added to ${dir}.` : `Run ${runId} not added to the dataset: ${r.reason}.`);
  } catch (err) {
    s.log.warn(`Run ${runId}: could not add its trajectory to ${dir}: ${String(err)}`);
  }
}

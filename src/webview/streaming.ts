import type { TextAppend } from '../panel-protocol';
import { app, atBottom } from './dom';
import { view } from './model';

// Streamed tokens: kept in the run's calls and appended to their text at most once a frame, without
// rendering anything else.

let queued: TextAppend[] = [];
let frame: number | undefined;

export function appendText(appends: TextAppend[]): void {
  for (const a of appends) {
    const call = view.run?.calls.find((c) => c.callId === a.callId);
    call?.chunks.push(a.text);
    queued.push(a);
  }
  frame ??= requestAnimationFrame(flushText);
}

/** At most once per frame: one text node per call, appended; nothing else is re-rendered. */
function flushText(): void {
  frame = undefined;
  const byCall = new Map<string, string>();
  for (const a of queued) byCall.set(a.callId, (byCall.get(a.callId) ?? '') + a.text);
  queued = [];
  for (const [callId, text] of byCall) {
    for (const pre of Array.from(app.querySelectorAll<HTMLElement>(`pre[data-call-id="${CSS.escape(callId)}"]`))) {
      const stick = atBottom(pre);
      pre.append(document.createTextNode(text));
      if (stick) pre.scrollTop = pre.scrollHeight;
    }
  }
}

/** Forgets text waiting for a frame: a snapshot that replaces the run already holds it. */
export function dropQueuedText(): void {
  queued = [];
}

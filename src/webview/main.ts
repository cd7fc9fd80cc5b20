import type { ToWebview } from '../panel-protocol';
import { listenToPage } from './actions';
import { post } from './host';
import { onMessage } from './messages';
import { render } from './render';

// The side panel's script (bundled to dist/webview.js; its own tsconfig, with the DOM). The extension
// owns all state and replays it on 'ready'; the page renders it (render.ts) and sends back what the
// user does (actions.ts).

window.addEventListener('message', (event: MessageEvent<ToWebview>) => onMessage(event.data));
listenToPage();
render();
post({ type: 'ready' });

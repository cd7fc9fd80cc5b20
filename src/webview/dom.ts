import type { Lang } from '../core/types';
import { tokenize } from './highlight';

// Building the page: elements, buttons, code, and the few formats the sections share. Model text only
// ever reaches the DOM through text nodes (h() below), never as markup.

export const app = document.getElementById('app') as HTMLElement;

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | undefined;

/** Creates an element; strings become text nodes, so nothing passed here is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (value === true) el.toggleAttribute(name, true);
    else el.setAttribute(name, value);
  }
  for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon ${name}`, 'aria-hidden': 'true' });
}

export interface ButtonOpts {
  action: string;
  arg?: string;
  testid: string;
  icon?: string;
  title?: string;
  disabled?: boolean;
  primary?: boolean;
  link?: boolean;
}

export function button(label: string, o: ButtonOpts): HTMLButtonElement {
  return h('button', {
    type: 'button', class: o.primary ? 'primary' : o.link ? 'link' : 'secondary', 'data-action': o.action, 'data-arg': o.arg,
    'data-testid': o.testid, 'data-key': `btn:${o.action}:${o.arg ?? ''}`, title: o.title, disabled: o.disabled,
  }, o.icon ? icon(o.icon) : undefined, o.icon ? ` ${label}` : label);
}

export function prose(text: string, testid?: string): HTMLElement {
  return h('pre', { class: 'prose', 'data-testid': testid }, text);
}

/** Code, coloured for its language (highlight.ts). */
export function codeBlock(code: string, lang: Lang, testid?: string): HTMLElement {
  const parts = tokenize(code, lang).map((t) => (t.kind === 'text' ? t.text : h('span', { class: `tok-${t.kind}` }, t.text)));
  return h('pre', { class: 'code' }, h('code', { 'data-testid': testid }, ...parts));
}

export function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 90 ? `${line.slice(0, 90)}…` : line;
}

export function basename(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Within a line or so of the bottom: new text keeps it scrolled to the end. */
export function atBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 24;
}

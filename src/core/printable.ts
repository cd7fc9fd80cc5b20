// Text from outside (a program's output, a server's model names and error bodies, a model's reply, a
// statement's title) shown on a terminal: control characters and bidirectional overrides are shown as
// escapes, so none of them can retitle the window, clear the screen or reorder what the user reads.
// Newlines and tabs stay: they are how multi-line text is shown.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

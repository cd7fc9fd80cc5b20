// Samples copied with the page's HTML around them (AtCoder's Markdown keeps `<div class="part">`,
// `<section>` and `<pre>` lines): the text inside, as the page shows it.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
/** A line of nothing but block tags (`<div class="part">`, `</section>`). */
const TAG_LINE = /^\s*(?:<\/?(?:div|section|pre|span|p|br|code|var|h[1-6])\b[^>]*>\s*)+$/i;

const decode = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name]);

/** A sample block's text without its HTML: what a `<pre>` holds, else the lines that are not only tags; entities decoded. Text without tags comes back unchanged. */
export function unwrapHtml(lines: string[]): string[] {
  const text = lines.join('\n');
  const pre = /<pre\b[^>]*>\n?([\s\S]*?)<\/pre>/i.exec(text);
  if (pre) return decode(pre[1]).split('\n');
  if (!lines.some((l) => TAG_LINE.test(l))) return lines;
  return lines.filter((l) => !TAG_LINE.test(l)).map(decode);
}

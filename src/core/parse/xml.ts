// Tolerant reading of the agents' XML-ish replies. No XML parser: field text is raw (code holds `<`,
// `&`, `</`), so a parser would reject or mangle it. Instead the known tags are located by name and
// everything between a field's open and close tag is kept verbatim.
import { issue, ParseIssue } from './issues';

/** Which tags a reply may hold: fields by canonical name (accepted names, canonical first), and an
 *  optional repeated container (`<problem>`) that groups some of the fields. */
export interface TagSpec {
  fields: Record<string, readonly string[]>;
  group?: { names: readonly string[]; fields: readonly string[] };
  /** false when a `<root>` is optional (its absence or surrounding text is then no issue). */
  expectRoot?: boolean;
}

export interface TagScan {
  /** Fields outside any container: every occurrence's raw text, in order. */
  top: Record<string, string[]>;
  /** Each container's fields (the first occurrence of each), raw. */
  groups: Array<Record<string, string>>;
  issues: ParseIssue[];
}

interface Tag {
  name: string;
  close: boolean;
  selfClosing: boolean;
  start: number;
  end: number;
}

const ATTRS = String.raw`(?:\s+[^\s<>="'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*`;
const CDATA = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)/g;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Known tags in `text`, in order, case-insensitive, attributes allowed, skipping CDATA sections.
 *  `**<tag>**` (markdown bold around a tag) counts as the tag. */
function findTags(text: string, names: readonly string[], issues: ParseIssue[]): Tag[] {
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  const re = new RegExp(String.raw`(\*\*)?<(/)?(${alternatives})(${ATTRS})\s*(/)?>(\*\*)?`, 'gi');
  const cdata = [...text.matchAll(CDATA)].map((m) => [m.index!, m.index! + m[0].length]);
  const tags: Tag[] = [];
  let bold = false;
  let c = 0; // both lists are in text order: advance past CDATA sections that end before the tag
  for (const m of text.matchAll(re)) {
    const at = m.index!;
    while (c < cdata.length && cdata[c][1] <= at) c++;
    if (c < cdata.length && at >= cdata[c][0]) continue;
    const wrapped = Boolean(m[1] && m[6]);
    bold ||= wrapped;
    tags.push({
      name: m[3].toLowerCase(),
      close: Boolean(m[2]),
      selfClosing: Boolean(m[5]),
      start: at + (m[1] && !wrapped ? 2 : 0),
      end: at + m[0].length - (m[6] && !wrapped ? 2 : 0),
    });
  }
  if (bold) issues.push(issue('markdown_tag', 'tags wrapped in markdown bold (**<tag>**)'));
  return tags;
}

/** Outside text that is only code-fence lines (```xml ... ```) vs real prose. */
function outsideIssue(outside: string): ParseIssue | undefined {
  const prose = outside.replace(/^[ \t]*(?:`{3,}|~{3,})[^\n]*$/gm, '').trim();
  if (prose) return issue('text_outside_root', `text around <root>: ${JSON.stringify(prose.slice(0, 60))}`);
  if (outside.trim()) return issue('fenced_root', '<root> wrapped in a code fence');
  return undefined;
}

/** A reply cut off inside a tag (`...</algor`): drop the fragment. */
function dropTruncatedTag(body: string, names: readonly string[], issues: ParseIssue[]): string {
  const m = /<\/?([A-Za-z_]*)\s*$/.exec(body);
  if (!m) return body;
  const frag = m[1].toLowerCase();
  if ((frag === '' && !m[0].startsWith('</')) || !names.some((n) => n.startsWith(frag))) return body;
  issues.push(issue('truncated_tag', `reply ends inside a tag: ${JSON.stringify(m[0].trim())}`));
  return body.slice(0, m.index);
}

/** The span from the first `<root>` to the last `</root>`, tolerating either end missing. */
function sliceRoot(reply: string, names: readonly string[], expectRoot: boolean, issues: ParseIssue[]): string {
  const roots = findTags(reply, ['root'], []);
  const opens = roots.filter((t) => !t.close);
  const open = opens[0];
  const close = roots.filter((t) => t.close && (!open || t.start >= open.end)).pop();
  if (expectRoot) {
    if (!open) issues.push(issue('missing_root', 'no <root> tag; reading tags from the whole reply'));
    else if (!close) issues.push(issue('missing_root_close', 'no </root>; reading to the end of the reply'));
    if (opens.length > 1) issues.push(issue('duplicate_root', `${opens.length} <root> tags; reading all of them`));
    if (open) {
      const outside = outsideIssue(reply.slice(0, open.start) + '\n' + (close ? reply.slice(close.end) : ''));
      if (outside) issues.push(outside);
    }
  }
  let body = reply.slice(open ? open.end : 0, close ? close.start : reply.length);
  if (!close) {
    body = body.replace(/\n[ \t]*(?:`{3,}|~{3,})[ \t]*\s*$/, ''); // the closing fence of a ```xml wrapper
    body = dropTruncatedTag(body, [...names, 'root'], issues);
  }
  return body;
}

/** True when only blanks stand between the tag and the line start or the previous tag. */
function standsAlone(text: string, prevEnd: number, at: number): boolean {
  for (let i = at - 1; i >= prevEnd && text[i] !== '\n'; i--) if (/\S/.test(text[i])) return false;
  return true;
}

/** True when nothing but blanks follows the tag on its line. */
function endsLine(text: string, at: number): boolean {
  for (let i = at; i < text.length && text[i] !== '\n'; i++) if (/\S/.test(text[i])) return false;
  return true;
}

export function scanTags(reply: string, spec: TagSpec): TagScan {
  const issues: ParseIssue[] = [];
  const canonical = new Map<string, string>();
  for (const [canon, names] of Object.entries(spec.fields)) for (const n of names) canonical.set(n, canon);
  const groupNames = spec.group?.names ?? [];
  const groupFields = new Set(spec.group?.fields ?? []);
  const allNames = [...canonical.keys(), ...groupNames];

  const body = sliceRoot(reply, allNames, spec.expectRoot ?? true, issues);
  const tags = findTags(body, [...allNames, 'root'], issues);

  const top: Record<string, string[]> = {};
  const groups: Array<Record<string, string>> = [];
  let group: { fields: Record<string, string>; explicit: boolean; name: string } | undefined;
  let field: { canon: string; name: string; from: number; keep: boolean } | undefined;

  const endGroup = (why?: string) => {
    if (!group) return;
    if (why && group.explicit) issues.push(issue('unclosed_tag', `<${group.name}> not closed; ${why}`));
    groups.push(group.fields);
    group = undefined;
  };
  const endField = (to: number) => {
    if (!field) return;
    const text = body.slice(field.from, to);
    if (field.keep && group && groupFields.has(field.canon)) group.fields[field.canon] = text;
    else if (field.keep) (top[field.canon] ??= []).push(text);
    field = undefined;
  };

  tags.forEach((tag, i) => {
    const canon = canonical.get(tag.name);
    if (field) {
      if (tag.close && canon === field.canon) {
        if (tag.name !== field.name) issues.push(issue('mismatched_close', `<${field.name}> closed by </${tag.name}>`));
        endField(tag.start);
        return;
      }
      // Any other tag inside a raw field is text (`vector<Problem>`), unless it stands where the
      // model's next tag would: alone at a line start, right after another tag, or (a close) ending its line.
      const structural = standsAlone(body, tags[i - 1].end, tag.start) || (tag.close && endsLine(body, tag.end));
      if (!structural) return;
      const kind = tag.close && canon ? 'mismatched_close' : 'unclosed_tag';
      issues.push(issue(kind, `<${field.name}> not closed before <${tag.close ? '/' : ''}${tag.name}>`));
      endField(tag.start);
      if (tag.close && canon) return;
    }
    if (tag.name === 'root') return;
    if (groupNames.includes(tag.name)) {
      if (tag.close) {
        if (group) endGroup();
        else issues.push(issue('stray_close', `</${tag.name}> without an open <${tag.name}>`));
        return;
      }
      endGroup(`a new <${tag.name}> began`);
      if (tag.name !== groupNames[0]) issues.push(issue('tag_synonym', `<${tag.name}> read as <${groupNames[0]}>`));
      if (!tag.selfClosing) group = { fields: {}, explicit: true, name: tag.name };
      return;
    }
    if (!canon) return;
    if (tag.close) {
      issues.push(issue('stray_close', `</${tag.name}> without an open <${tag.name}>`));
      return;
    }
    let keep = true;
    if (groupFields.has(canon)) {
      if (group?.fields[canon] !== undefined && !group.explicit) endGroup();
      if (!group) {
        issues.push(issue('missing_container', `<${tag.name}> outside a <${groupNames[0]}>`));
        group = { fields: {}, explicit: false, name: groupNames[0] };
      } else if (group.fields[canon] !== undefined) {
        issues.push(issue('duplicate_field', `a second <${tag.name}> in one <${group.name}>; keeping the first`));
        keep = false;
      }
    } else {
      endGroup(`<${tag.name}> began inside it`);
    }
    const names = spec.fields[canon];
    if (tag.name !== names[0]) issues.push(issue('tag_synonym', `<${tag.name}> read as <${names[0]}>`));
    field = { canon, name: tag.name, from: tag.end, keep };
    if (tag.selfClosing) endField(tag.end);
  });

  if (field) {
    issues.push(issue('unclosed_tag', `<${field.name}> not closed; read to the end`));
    endField(body.length);
  }
  endGroup('read to the end');
  return { top, groups, issues };
}

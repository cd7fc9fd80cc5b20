// A small GBNF reader and matcher for the subset replyGrammar writes (rules, alternatives, sequences,
// string literals, character classes with ranges and negation, groups, ? * + {m,n}), to check in plain
// Node that a grammar accepts a reply, and how long the longest reply it accepts can be. Matching
// computes the set of end positions, so repetitions of thousands stay linear in practice.

type Node =
  | { t: 'lit'; s: string }
  | { t: 'cls'; neg: boolean; items: [number, number][] }
  | { t: 'ref'; name: string }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number };

export class Gbnf {
  private readonly rules = new Map<string, Node>();

  constructor(source: string) {
    for (const line of source.split('\n').filter((l) => l.trim())) {
      const m = /^([a-zA-Z0-9-]+)\s*::=\s*(.*)$/.exec(line);
      if (!m) throw new SyntaxError(`not a rule: ${line}`);
      const p = new Parser(m[2]);
      this.rules.set(m[1], p.alt());
      if (!p.done()) throw new SyntaxError(`trailing input in ${m[1]}: ${p.rest()}`);
    }
    if (!this.rules.has('root')) throw new SyntaxError('no root rule');
    for (const [name, node] of this.rules) this.checkRefs(name, node);
  }

  /** Whether the whole of `text` is in the grammar's language. */
  accepts(text: string): boolean {
    const chars = [...text];
    return this.match(this.rules.get('root')!, chars, new Set([0])).has(chars.length);
  }

  /**
   * The most bytes of UTF-8 in any text the grammar accepts, read as llama.cpp reads it: a repetition
   * whose maximum is over 2000 is unbounded there (MAX_REPETITION_THRESHOLD), as are * and + and
   * recursion. Infinity when unbounded.
   */
  maxBytes(): number {
    const memo = new Map<string, number>();
    const visiting = new Set<string>();
    const bytes = (n: Node): number => {
      switch (n.t) {
        case 'lit': return new TextEncoder().encode(n.s).length;
        case 'cls': return utf8Length(maxCodePoint(n));
        case 'ref': {
          if (visiting.has(n.name)) return Infinity;
          if (!memo.has(n.name)) {
            visiting.add(n.name);
            memo.set(n.name, bytes(this.rules.get(n.name)!));
            visiting.delete(n.name);
          }
          return memo.get(n.name)!;
        }
        case 'seq': return n.items.reduce((sum, i) => sum + bytes(i), 0);
        case 'alt': return Math.max(...n.items.map(bytes));
        case 'rep': {
          const each = bytes(n.node);
          if (each === 0) return 0;
          if (n.min > LLAMA_MAX_REPETITION) throw new RangeError(`llama.cpp refuses a repetition of at least ${n.min}`);
          return n.max > LLAMA_MAX_REPETITION ? Infinity : n.max * each;
        }
      }
    };
    return bytes(this.rules.get('root')!);
  }

  private checkRefs(rule: string, n: Node): void {
    if (n.t === 'ref' && !this.rules.has(n.name)) throw new SyntaxError(`${rule} uses undefined rule ${n.name}`);
    if (n.t === 'seq' || n.t === 'alt') n.items.forEach((i) => this.checkRefs(rule, i));
    if (n.t === 'rep') this.checkRefs(rule, n.node);
  }

  private match(n: Node, s: string[], from: Set<number>): Set<number> {
    const out = new Set<number>();
    switch (n.t) {
      case 'lit': {
        const lit = [...n.s];
        for (const p of from) if (lit.every((c, i) => s[p + i] === c)) out.add(p + lit.length);
        return out;
      }
      case 'cls':
        for (const p of from) {
          if (p >= s.length) continue;
          const c = s[p].codePointAt(0)!;
          if (n.items.some(([a, b]) => c >= a && c <= b) !== n.neg) out.add(p + 1);
        }
        return out;
      case 'ref':
        return this.match(this.rules.get(n.name)!, s, from);
      case 'seq':
        return n.items.reduce((cur, item) => (cur.size ? this.match(item, s, cur) : cur), from);
      case 'alt':
        for (const item of n.items) for (const p of this.match(item, s, from)) out.add(p);
        return out;
      case 'rep': {
        let frontier = from;
        const seen = new Set<number>();
        for (let i = 0; i <= n.max && frontier.size; i++) {
          if (i >= n.min) for (const p of frontier) out.add(p);
          if (i === n.max) break;
          const next = new Set([...this.match(n.node, s, frontier)].filter((p) => !seen.has(p)));
          for (const p of frontier) seen.add(p);
          frontier = next;
        }
        return out;
      }
    }
  }
}

/** llama.cpp's MAX_REPETITION_THRESHOLD: a larger maximum becomes unbounded, a larger minimum an error. */
const LLAMA_MAX_REPETITION = 2000;

/** The largest code point a class matches (a negated one: the largest it does not exclude). */
function maxCodePoint(n: Extract<Node, { t: 'cls' }>): number {
  if (!n.neg) return Math.max(...n.items.map(([, b]) => b));
  let c = 0x10ffff;
  for (let hit = n.items.find(([a, b]) => c >= a && c <= b); hit; hit = n.items.find(([a, b]) => c >= a && c <= b)) c = hit[0] - 1;
  return c;
}

function utf8Length(c: number): number {
  return c < 0 ? 0 : c <= 0x7f ? 1 : c <= 0x7ff ? 2 : c <= 0xffff ? 3 : 4;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    this.skip();
    return this.i >= this.s.length;
  }

  rest(): string {
    return this.s.slice(this.i);
  }

  private skip(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  alt(): Node {
    const items = [this.seq()];
    for (this.skip(); this.s[this.i] === '|'; this.skip()) {
      this.i++;
      items.push(this.seq());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private seq(): Node {
    const items: Node[] = [];
    for (this.skip(); this.i < this.s.length && !'|)'.includes(this.s[this.i]); this.skip()) items.push(this.postfix(this.atom()));
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private postfix(node: Node): Node {
    const c = this.s[this.i];
    if (c === '?') return this.i++, { t: 'rep', node, min: 0, max: 1 };
    if (c === '*') return this.i++, { t: 'rep', node, min: 0, max: Infinity };
    if (c === '+') return this.i++, { t: 'rep', node, min: 1, max: Infinity };
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
    if (!m) return node;
    this.i += m[0].length;
    const min = Number(m[1]);
    return { t: 'rep', node, min, max: m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity };
  }

  private atom(): Node {
    const c = this.s[this.i];
    if (c === '"') {
      let out = '';
      for (this.i++; this.s[this.i] !== '"'; ) out += this.char();
      this.i++;
      return { t: 'lit', s: out };
    }
    if (c === '[') {
      this.i++;
      const neg = this.s[this.i] === '^';
      if (neg) this.i++;
      const items: [number, number][] = [];
      while (this.s[this.i] !== ']') {
        const a = this.char().codePointAt(0)!;
        if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']') {
          this.i++;
          items.push([a, this.char().codePointAt(0)!]);
        } else items.push([a, a]);
      }
      this.i++;
      return { t: 'cls', neg, items };
    }
    if (c === '(') {
      this.i++;
      const inner = this.alt();
      if (this.s[this.i] !== ')') throw new SyntaxError(`expected ) at ${this.rest()}`);
      this.i++;
      return inner;
    }
    const m = /^[a-zA-Z0-9-]+/.exec(this.s.slice(this.i));
    if (!m) throw new SyntaxError(`unexpected ${this.rest()}`);
    this.i += m[0].length;
    return { t: 'ref', name: m[0] };
  }

  /** One character of a literal or class, escapes read. */
  private char(): string {
    const c = this.s[this.i++];
    if (c !== '\\') return c;
    const e = this.s[this.i++];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', ']': ']', '[': '[', '-': '-', '^': '^' };
    if (e in simple) return simple[e];
    const digits = { x: 2, u: 4, U: 8 }[e];
    if (digits) {
      const hex = this.s.slice(this.i, this.i + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new SyntaxError(`\\${e} needs ${digits} hex digits`);
      this.i += digits;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    throw new SyntaxError(`unknown escape \\${e}`);
  }
}

// A small JSON-schema-like checker (type, required, properties, items, enum, minItems, minimum,
// pattern, const) for the files export writes: export checks its own output with it before renaming
// the files into place, and the tests check the files again.

export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp; minLength?: number }
  | { type: 'integer' | 'number'; minimum?: number; maximum?: number }
  | { type: 'boolean' }
  | { type: 'null' }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[]; additional?: Schema | false }
  | { anyOf: readonly Schema[] };

/** Problems with `value`, each "path: what"; empty when it conforms. */
export function validate(schema: Schema, value: unknown, at = '$'): string[] {
  if ('anyOf' in schema) {
    return schema.anyOf.some((s) => validate(s, value, at).length === 0) ? [] : [`${at}: matches none of the allowed shapes`];
  }
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${at}: expected a string`];
      if (schema.enum && !schema.enum.includes(value)) return [`${at}: "${value}" is not one of ${schema.enum.join(', ')}`];
      if (schema.pattern && !schema.pattern.test(value)) return [`${at}: "${value.slice(0, 40)}" does not match ${schema.pattern}`];
      if (schema.minLength !== undefined && value.length < schema.minLength) return [`${at}: shorter than ${schema.minLength}`];
      return [];
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) return [`${at}: expected an ${schema.type}`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${at}: below ${schema.minimum}`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${at}: above ${schema.maximum}`];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    case 'null':
      return value === null ? [] : [`${at}: expected null`];
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      const errs: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(`${at}: fewer than ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${at}: more than ${schema.maxItems} items`);
      value.forEach((v, i) => errs.push(...validate(schema.items, v, `${at}[${i}]`)));
      return errs;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
      const o = value as Record<string, unknown>;
      const errs: string[] = [];
      for (const k of schema.required ?? []) if (!(k in o)) errs.push(`${at}: missing "${k}"`);
      for (const [k, v] of Object.entries(o)) {
        const own: Schema | undefined = schema.properties[k];
        if (own) errs.push(...validate(own, v, `${at}.${k}`));
        else if (schema.additional === false) errs.push(`${at}: unexpected "${k}"`);
        else if (schema.additional) errs.push(...validate(schema.additional, v, `${at}.${k}`));
      }
      return errs;
    }
  }
}

const message = (role: string): Schema => ({
  type: 'object', properties: { role: { type: 'string', enum: [role] }, content: { type: 'string', minLength: 1 } }, required: ['role', 'content'], additional: false,
});

/** One line of <agent>/train.jsonl or valid.jsonl: chat format, system + user + assistant. */
export const CHAT_LINE: Schema = {
  type: 'object',
  properties: {
    messages: {
      anyOf: [
        { type: 'array', items: { anyOf: [message('system'), message('user'), message('assistant')] }, minItems: 3, maxItems: 3 },
        { type: 'array', items: { anyOf: [message('user'), message('assistant')] }, minItems: 2, maxItems: 2 },
      ],
    },
  },
  required: ['messages'],
  additional: false,
};

/** The order a chat line's roles must come in (the schema above allows each role anywhere). */
export function chatOrderErrors(line: { messages: { role: string }[] }): string[] {
  const roles = line.messages.map((m) => m.role).join(',');
  return roles === 'system,user,assistant' || roles === 'user,assistant' ? [] : [`$.messages: roles ${roles}, expected system,user,assistant`];
}

const count: Schema = { type: 'integer', minimum: 0 };
const tokens: Schema = {
  type: 'object', properties: { min: count, mean: { type: 'number', minimum: 0 }, max: count, total: count }, required: ['min', 'mean', 'max', 'total'], additional: false,
};
const split: Schema = {
  type: 'object', properties: { examples: count, problems: count, promptTokens: tokens, replyTokens: tokens, file: { type: 'string' } },
  required: ['examples', 'problems', 'promptTokens', 'replyTokens', 'file'], additional: false,
};
const byName = (s: Schema): Schema => ({ type: 'object', properties: {}, additional: s });

export const MANIFEST: Schema = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: ['mapcoder-lite-distill/1'] },
    created: { type: 'string', pattern: /^\d{4}-\d\d-\d\dT/ },
    inputs: { type: 'array', items: { type: 'string' }, minItems: 1 },
    seed: { type: 'integer' },
    validRatio: { type: 'number', minimum: 0, maximum: 1 },
    promptsHash: { type: 'array', items: { type: 'string', pattern: /^[0-9a-f]{16}$/ } },
    tokenEstimate: { type: 'string' },
    duplicatesDropped: count,
    sources: byName(count),
    agents: {
      type: 'object',
      properties: {},
      additional: { type: 'object', properties: { train: split, valid: split, kinds: byName(count) }, required: ['train', 'valid', 'kinds'], additional: false },
    },
    baseModel: { type: 'string', minLength: 1 },
    loraRank: { type: 'integer', minimum: 1 },
    trainer: { type: 'string' },
  },
  required: ['format', 'created', 'inputs', 'seed', 'validRatio', 'promptsHash', 'tokenEstimate', 'duplicatesDropped', 'sources', 'agents', 'baseModel', 'loraRank', 'trainer'],
  additional: false,
};

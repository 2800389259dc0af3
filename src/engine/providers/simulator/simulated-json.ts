// Deterministic JSON for the simulator's JSON modes: an object for `json_object`, and for `json_schema`
// a value built from the schema (types, every listed property, enums, consts, bounds, formats, patterns,
// anyOf/oneOf/allOf, local $refs), so an SDK's structured-output parsing succeeds without a model.
// A string's `pattern` is followed where simulated-pattern.ts can (a pattern it cannot follow gets words,
// which will not match it). Not a validator: `not`, `uniqueItems` and the like are not honoured.
import { matchesPattern, stringForPattern } from './simulated-pattern.ts';

type Schema = Record<string, unknown>;

export interface JsonFill {
  /** Seeded, so the same request always gets the same value. */
  random: () => number;
  /** Words strings are made of. */
  words: readonly string[];
}

/** Past this depth arrays stay at their minimum length and nullable values are null, so recursive schemas end. */
const SHALLOW_DEPTH = 6;
const MAX_DEPTH = 32;

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T12:00:00Z', date: '2026-01-01', time: '12:00:00', duration: 'P1D',
  email: 'someone@example.com', 'idn-email': 'someone@example.com', hostname: 'example.com', 'idn-hostname': 'example.com',
  ipv4: '192.0.2.1', ipv6: '2001:db8::1', uri: 'https://example.com/', 'uri-reference': 'https://example.com/', iri: 'https://example.com/',
  url: 'https://example.com/',
};

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** allOf's parts merged into one schema (properties and required lists joined). */
function mergeAllOf(s: Schema, root: unknown): Schema {
  let out: Schema = { ...s };
  delete out.allOf;
  for (const raw of s.allOf as unknown[]) {
    let part = raw;
    if (isSchema(part) && typeof part.$ref === 'string') part = resolveRef(root, part.$ref);
    if (!isSchema(part)) continue;
    out = {
      ...part, ...out,
      properties: { ...(part.properties as Schema | undefined), ...(out.properties as Schema | undefined) },
      required: [...((part.required as unknown[] | undefined) ?? []), ...((out.required as unknown[] | undefined) ?? [])],
    };
  }
  return out;
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length) % list.length];
}

function phrase(fill: JsonFill): string {
  const words = fill.words.length ? fill.words : ['simulated'];
  const count = 2 + Math.floor(fill.random() * 4);
  const start = Math.floor(fill.random() * words.length);
  const out: string[] = [];
  for (let i = 0; i < count && start + i < words.length; i++) out.push(words[start + i]);
  return out.join(' ').replace(/[.,!?;:。，！？]+$/u, '');
}

function stringFor(s: Schema, fill: JsonFill): string {
  const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
  let text = format ?? (s.format === 'uuid' ? uuid(fill.random) : phrase(fill));
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  // a pattern the format's value does not match is followed where it can be; else the words below, which will not match it
  const formatted = format !== undefined || s.format === 'uuid';
  if (typeof s.pattern === 'string' && !(formatted && matchesPattern(s.pattern, text))) {
    const matched = stringForPattern(s.pattern, fill.random, { minLength: min, maxLength: max });
    if (matched !== null) return matched;
  }
  while ([...text].length < min) text += ` ${phrase(fill)}`;
  if ([...text].length > max) text = [...text].slice(0, max).join('');
  return text;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function numberFor(s: Schema, integer: boolean, fill: JsonFill): number {
  const num = (k: string): number | undefined => (typeof s[k] === 'number' ? s[k] : undefined);
  const step = integer ? 1 : 0.01;
  let lo = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + step : undefined);
  let hi = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - step : undefined);
  lo ??= hi !== undefined ? Math.min(0, hi) : 0;
  hi ??= lo + 100;
  if (integer) { lo = Math.ceil(lo); hi = Math.floor(hi); }
  if (hi < lo) return lo;
  const multipleOf = num('multipleOf');
  if (multipleOf && multipleOf > 0) {
    const first = Math.ceil(lo / multipleOf);
    const last = Math.floor(hi / multipleOf);
    if (last >= first) return (first + Math.floor(fill.random() * (last - first + 1))) * multipleOf;
  }
  const v = lo + fill.random() * (hi - lo);
  return integer ? Math.round(v) : Math.round(v * 100) / 100;
}

function typeOf(s: Schema, shallow: boolean): string | undefined {
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t): t is string => typeof t === 'string');
    if (shallow && types.includes('null')) return 'null';
    return types.find((t) => t !== 'null') ?? types[0];
  }
  if (typeof s.type === 'string') return s.type;
  if (isSchema(s.properties) || Array.isArray(s.required)) return 'object';
  if (s.items !== undefined || Array.isArray(s.prefixItems)) return 'array';
  return undefined;
}

function valueFor(schema: unknown, fill: JsonFill, root: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || !isSchema(schema)) return depth > MAX_DEPTH ? null : phrase(fill);
  let s: Schema = schema;
  if (typeof s.$ref === 'string') {
    const target = resolveRef(root, s.$ref);
    return valueFor(isSchema(target) ? { ...target, ...s, $ref: undefined } : target, fill, root, depth + 1);
  }
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, root);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return pick(s.enum, fill.random);
  const shallow = depth >= SHALLOW_DEPTH;
  const options = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  if (options?.length) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    const resolved = options.map((o) => (isSchema(o) && typeof o.$ref === 'string' ? resolveRef(root, o.$ref) : o));
    const nullable = resolved.findIndex((o) => isSchema(o) && o.type === 'null');
    const chosen = shallow && nullable >= 0 ? nullable : Math.max(0, resolved.findIndex((o) => !(isSchema(o) && o.type === 'null')));
    const option = options[chosen];
    return valueFor(isSchema(option) ? { ...rest, ...option } : option, fill, root, depth + 1);
  }
  switch (typeOf(s, shallow)) {
    case 'null': return null;
    case 'boolean': return fill.random() < 0.5;
    case 'integer': return numberFor(s, true, fill);
    case 'number': return numberFor(s, false, fill);
    case 'string': return stringFor(s, fill);
    case 'array': {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
      const length = Math.min(max, Math.max(min, prefix.length, shallow ? 0 : 1 + Math.floor(fill.random() * 2)));
      return Array.from({ length }, (_, i) => valueFor(i < prefix.length ? prefix[i] : s.items ?? {}, fill, root, depth + 1));
    }
    case 'object': {
      const props = isSchema(s.properties) ? s.properties : {};
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(props)) out[key] = valueFor(sub, fill, root, depth + 1);
      for (const key of Array.isArray(s.required) ? s.required : []) {
        if (typeof key === 'string' && !(key in out)) out[key] = isSchema(s.additionalProperties) ? valueFor(s.additionalProperties, fill, root, depth + 1) : phrase(fill);
      }
      return out;
    }
    default: return phrase(fill);
  }
}

/** A value that satisfies `schema` as far as a simulator reasonably can. */
export function valueForSchema(schema: unknown, fill: JsonFill): unknown {
  return valueFor(schema, fill, schema, 0);
}

/**
 * The reply's content for a chat request's `response_format`: compact JSON for `json_object` (the prose
 * answer under "answer") and `json_schema` (a value of its schema); null for text or no format.
 */
export function simulatedJsonContent(responseFormat: unknown, answer: string, random: () => number): string | null {
  if (!isSchema(responseFormat)) return null;
  if (responseFormat.type === 'json_object') return JSON.stringify({ answer });
  if (responseFormat.type !== 'json_schema') return null;
  const spec = responseFormat.json_schema;
  const schema = isSchema(spec) ? spec.schema : undefined;
  if (!isSchema(schema)) return JSON.stringify({ answer });
  return JSON.stringify(valueForSchema(schema, { random, words: answer.split(/\s+/).filter(Boolean) }));
}

import { describe, expect, it } from 'vitest';
import { simulatedJsonContent, valueForSchema } from './simulated-json.ts';
import { seededRandom } from './simulated-text.ts';

const fill = (seed = 7) => ({ random: seededRandom(seed), words: 'Sure, here is a short answer from the simulator.'.split(' ') });

describe('valueForSchema', () => {
  it('fills every property with a value of its type, enums and consts included', () => {
    const v = valueForSchema({
      type: 'object', additionalProperties: false,
      required: ['name', 'age', 'score', 'active', 'tags', 'kind', 'version', 'nickname'],
      properties: {
        name: { type: 'string', minLength: 3, maxLength: 12 },
        age: { type: 'integer', minimum: 18, maximum: 30 },
        score: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 3 },
        kind: { enum: ['cat', 'dog'] },
        version: { const: 2 },
        nickname: { type: ['string', 'null'] },
      },
    }, fill()) as Record<string, unknown>;
    expect(Object.keys(v).sort()).toEqual(['active', 'age', 'kind', 'name', 'nickname', 'score', 'tags', 'version']);
    expect(typeof v.name).toBe('string');
    expect((v.name as string).length).toBeGreaterThanOrEqual(3);
    expect((v.name as string).length).toBeLessThanOrEqual(12);
    expect(Number.isInteger(v.age)).toBe(true);
    expect(v.age).toBeGreaterThanOrEqual(18);
    expect(v.age).toBeLessThanOrEqual(30);
    expect(v.score).toBeGreaterThan(0);
    expect(v.score).toBeLessThanOrEqual(1);
    expect(typeof v.active).toBe('boolean');
    expect((v.tags as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect((v.tags as unknown[]).every((t) => typeof t === 'string')).toBe(true);
    expect(['cat', 'dog']).toContain(v.kind);
    expect(v.version).toBe(2);
    expect(typeof v.nickname).toBe('string');
  });

  it('follows $refs into $defs and definitions, anyOf and allOf, and ends recursive schemas', () => {
    const node = {
      $defs: { Node: { type: 'object', required: ['label', 'children'], properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
      $ref: '#/$defs/Node',
    };
    const tree = valueForSchema(node, fill()) as { label: string; children: unknown[] };
    expect(typeof tree.label).toBe('string');
    expect(Array.isArray(tree.children)).toBe(true);
    expect(JSON.stringify(tree).length).toBeLessThan(100_000);

    const v = valueForSchema({
      type: 'object',
      definitions: { Point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] } },
      properties: {
        at: { $ref: '#/definitions/Point' },
        when: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
        both: { allOf: [{ properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } }, required: ['b'] }] },
        id: { type: 'string', format: 'uuid' },
      },
    }, fill()) as Record<string, any>;
    expect(typeof v.at.x).toBe('number');
    expect(typeof v.at.y).toBe('number');
    expect(v.when).toBe('2026-01-01T12:00:00Z');
    expect(Number.isInteger(v.both.a)).toBe(true);
    expect(typeof v.both.b).toBe('boolean');
    expect(v.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('follows a string\'s pattern, with its format when the format\'s value matches, and writes words for a pattern it cannot follow', () => {
    const v = valueForSchema({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
        sku: { type: 'string', pattern: '^SKU_[0-9]{4}[a-z]?$', minLength: 8, maxLength: 9 },
        mail: { type: 'string', format: 'email', pattern: '@example\\.com$' },
        day: { type: 'string', format: 'date', pattern: '^20\\d\\d-' },
        other: { type: 'string', format: 'date', pattern: '^\\d{2}/\\d{2}/\\d{4}$' },
        id: { type: 'string', format: 'uuid' },
        tags: { type: 'array', minItems: 2, items: { type: 'string', pattern: '^#[a-z]+$' } },
        strong: { type: 'string', pattern: '^(?=.*\\d).{8}$' },
      },
    }, fill()) as Record<string, any>;
    expect(v.code).toMatch(/^[A-Z]{3}-\d{2}$/);
    expect(v.sku).toMatch(/^SKU_[0-9]{4}[a-z]?$/);
    expect(v.mail).toBe('someone@example.com');
    expect(v.day).toBe('2026-01-01');
    expect(v.other).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(v.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.tags.every((t: string) => /^#[a-z]+$/.test(t))).toBe(true);
    // a lookahead is beyond the simulator: it writes words, as before
    expect(typeof v.strong).toBe('string');
  });

  it('is the same value for the same seed', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } };
    expect(valueForSchema(schema, fill(3))).toEqual(valueForSchema(schema, fill(3)));
  });
});

describe('simulatedJsonContent', () => {
  it('answers json_object with the prose under "answer", json_schema with a value of the schema, and text with null', () => {
    expect(JSON.parse(simulatedJsonContent({ type: 'json_object' }, 'Hi there.', seededRandom(1))!)).toEqual({ answer: 'Hi there.' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const out = JSON.parse(simulatedJsonContent({ type: 'json_schema', json_schema: { name: 'x', strict: true, schema } }, 'Hi there.', seededRandom(1))!);
    expect(Object.keys(out)).toEqual(['city']);
    expect(typeof out.city).toBe('string');
    expect(simulatedJsonContent({ type: 'text' }, 'Hi there.', seededRandom(1))).toBeNull();
    expect(simulatedJsonContent(undefined, 'Hi there.', seededRandom(1))).toBeNull();
  });
});

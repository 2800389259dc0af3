import { describe, expect, it } from 'vitest';
import { stringForPattern } from './simulated-pattern.ts';
import { seededRandom } from './simulated-text.ts';

const make = (pattern: string, seed = 1, bounds = {}) => stringForPattern(pattern, seededRandom(seed), bounds);

describe('stringForPattern', () => {
  it('makes a string each pattern of the simple kinds matches, the same for the same seed', () => {
    const patterns = [
      '^[A-Z]{3}-\\d{2}$', '^\\w+@example\\.com$', '^(cat|dog|bird)s?$', '^[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}$',
      '^\\+?[1-9]\\d{1,14}$', '^[^\\s@]+@[^\\s@]+\\.[a-z]{2,}$', '^(?:\\d{1,3}\\.){3}\\d{1,3}$', '^v\\d+\\.\\d+\\.\\d+(-[a-z]+)?$',
      '^[A-Z][a-z]*( [A-Z][a-z]*)*$', '^\\x41\\u0042[\\-_.]$', '^#[0-9A-Fa-f]{6}$', '^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])$',
      '^\\S+$', '^[^aeiou]{5}$', '\\bword\\b', 'abc', '^.{3,5}$', '^[\\p{L}]+$', '^\\D\\W\\s$', '^好+的?$', '^a{0}b$', '^$',
    ];
    for (const pattern of patterns) {
      for (const seed of [1, 2, 3]) {
        const text = make(pattern, seed);
        expect(text, `${pattern} (seed ${seed})`).not.toBeNull();
        expect(new RegExp(pattern, 'u').test(text!), `${pattern} → ${text}`).toBe(true);
      }
      expect(make(pattern, 7)).toBe(make(pattern, 7));
    }
  });

  it('keeps to minLength and maxLength when the pattern allows', () => {
    const long = make('^[a-z]+$', 1, { minLength: 30 })!;
    expect(long).toMatch(/^[a-z]{30,}$/);
    const short = make('^[a-z]+$', 1, { maxLength: 2 })!;
    expect(short).toMatch(/^[a-z]{1,2}$/);
    expect(make('^\\d{3}-\\d+$', 2, { minLength: 9, maxLength: 10 })).toMatch(/^\d{3}-\d{5,6}$/);
  });

  it('gives null for what it cannot follow: lookarounds, back-references, impossible lengths, invalid patterns', () => {
    expect(make('^(?=.*\\d)[a-z\\d]{8}$')).toBeNull();
    expect(make('^(?!x)a$')).toBeNull();
    expect(make('^(a)\\1$')).toBeNull();
    expect(make('^\\d{3}$', 1, { minLength: 5 })).toBeNull();
    expect(make('^[z-a]$')).toBeNull();
    expect(make('(')).toBeNull();
    expect(make('^(a{900}){900}$')).toBeNull();
  });
});

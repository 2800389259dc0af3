// Globs on model names: `*` any run of characters, `?` one character, everything else literal.
// Compiled once into the cheapest test that answers (equality, prefix, suffix, else a RegExp),
// kept as plain data so a hot loop can test many of them without a call per glob.

export type GlobMatcher = (s: string) => boolean;

export const GLOB_EXACT = 0;
export const GLOB_PREFIX = 1;
export const GLOB_SUFFIX = 2;
export const GLOB_ANY = 3;
export const GLOB_REGEX = 4;

export interface GlobSpec {
  readonly kind: 0 | 1 | 2 | 3 | 4;
  readonly lit: string;
  readonly re: RegExp | null;
}

export function compileGlobSpec(pattern: string): GlobSpec {
  if (!/[*?]/.test(pattern)) return { kind: GLOB_EXACT, lit: pattern, re: null };
  if (pattern === '*') return { kind: GLOB_ANY, lit: '', re: null };
  const inner = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !/[*?]/.test(inner)) return { kind: GLOB_PREFIX, lit: inner, re: null };
  const tail = pattern.slice(1);
  if (pattern.startsWith('*') && !/[*?]/.test(tail)) return { kind: GLOB_SUFFIX, lit: tail, re: null };
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return { kind: GLOB_REGEX, lit: '', re: new RegExp(`^${source}$`, 's') };
}

export function testGlob(g: GlobSpec, s: string): boolean {
  switch (g.kind) {
    case GLOB_EXACT: return s === g.lit;
    case GLOB_PREFIX: return s.startsWith(g.lit);
    case GLOB_SUFFIX: return s.endsWith(g.lit);
    case GLOB_ANY: return true;
    default: return g.re!.test(s);
  }
}

export function compileGlob(pattern: string): GlobMatcher {
  const g = compileGlobSpec(pattern);
  return (s) => testGlob(g, s);
}

export function globMatch(pattern: string, s: string): boolean {
  return testGlob(compileGlobSpec(pattern), s);
}

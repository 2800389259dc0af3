// The `x-sluice-tags` header as routing rules and budgets see it: comma-separated, trimmed,
// lower-cased, without duplicates; at most 32 tags of at most 64 characters (longer ones are dropped).
const MAX_TAGS = 32;
const MAX_TAG_LENGTH = 64;

export function parseTags(header: string | readonly string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header as string | undefined) ?? '';
  const out = new Set<string>();
  for (const t of raw.split(',')) {
    const v = t.trim().toLowerCase();
    if (v && v.length <= MAX_TAG_LENGTH) out.add(v);
    if (out.size === MAX_TAGS) break;
  }
  return [...out];
}

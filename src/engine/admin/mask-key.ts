// How a secret is shown by the admin API (provider keys, webhook header values): enough to tell it from
// another, never enough to use it.

/** `sk-…abcd`; `…` for a short one; null for none. */
export function maskKey(key: string | undefined | null): string | null {
  if (!key) return null;
  return key.length <= 8 ? '…' : `${key.slice(0, 3)}…${key.slice(-4)}`;
}

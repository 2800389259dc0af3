// Waiting in tests without timed sleeps: a gate a test opens when it chooses, and a poll until a
// condition holds (a few milliseconds a try, up to about 4 s, then a failure naming what was awaited).

/** A promise the test resolves itself: `wait` settles when `open()` is called. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => { open = r; });
  return { wait, open };
}

/** Poll (not a timed sleep) until the condition holds. */
export async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

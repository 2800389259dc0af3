// A small counting semaphore for the sentences of one reply: at most `limit` of them call upstream
// at once. Waiting stops, with the signal's reason, when the signal aborts.

export class SentenceGate {
  readonly limit: number;
  #active = 0;
  #waiting: Array<() => void> = [];

  constructor(opts: { limit: number }) {
    if (!Number.isInteger(opts?.limit) || opts.limit < 1) throw new RangeError(`SentenceGate: limit must be a positive integer, got ${opts?.limit}`);
    this.limit = opts.limit;
  }

  get active(): number { return this.#active; }
  get waiting(): number { return this.#waiting.length; }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #release(): void {
    this.#active--;
    this.#waiting.shift()?.();
  }
}

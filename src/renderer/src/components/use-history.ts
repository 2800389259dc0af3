// Loads a metrics history series for a range (and reloads it every `refreshMs`); `null` range: nothing.
import { useEffect, useState } from 'react';
import type { HistoryRange, HistorySeries } from '../../../shared/metrics.ts';
import { usePanel } from '../panel-context.tsx';

export type HistoryLoad =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; series: HistorySeries }
  | { state: 'failed'; message: string };

export function useHistory(range: HistoryRange | null, refreshMs: number): HistoryLoad {
  const { client } = usePanel();
  const [load, setLoad] = useState<HistoryLoad>({ state: 'idle' });
  useEffect(() => {
    if (!range) { setLoad({ state: 'idle' }); return; }
    const abort = new AbortController();
    let first = true;
    const fetchOnce = () => {
      if (first) setLoad({ state: 'loading' });
      client.call('metricsHistory', { query: { range }, signal: abort.signal }).then(
        (series) => { first = false; setLoad({ state: 'ready', series }); },
        (err: Error) => { if (!abort.signal.aborted && first) setLoad({ state: 'failed', message: err.message }); },
      );
    };
    fetchOnce();
    const h = setInterval(fetchOnce, refreshMs);
    return () => { abort.abort(); clearInterval(h); };
  }, [client, range, refreshMs]);
  return load;
}

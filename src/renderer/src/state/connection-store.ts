// Connection and engine slice: the event stream's status, the engine's info and running/paused state.
// While the stream cannot reach the engine its last known state is not shown as current: the engine is
// `unreachable`, or `refused` when it answered but turned the admin token down (it restarted with a new one).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineInfo } from '../../../shared/admin/core-routes.ts';
import type { StreamStatus } from '../api/event-stream.ts';

export type EngineRunState = 'running' | 'paused' | 'stopping' | 'unknown' | 'unreachable' | 'refused';

export interface ConnectionState {
  stream: StreamStatus;
  info: EngineInfo | null;
  engine: EngineRunState;
  lastEventAt: number | null;
  setStream(status: StreamStatus): void;
  setInfo(info: EngineInfo): void;
  setEngine(state: EngineRunState): void;
  touch(ts: number): void;
}

export function createConnectionStore(): StoreApi<ConnectionState> {
  return createStore<ConnectionState>()((set) => ({
    stream: { state: 'idle' },
    info: null,
    engine: 'unknown',
    lastEventAt: null,
    setStream: (stream) => set((s) => ({
      stream,
      engine: stream.state === 'retrying' ? 'unreachable' : stream.state === 'unauthorized' ? 'refused' : s.engine,
    })),
    setInfo: (info) => set({ info, engine: info.paused ? 'paused' : 'running' }),
    setEngine: (engine) => set((s) => ({ engine, info: s.info && engine !== 'stopping' ? { ...s.info, paused: engine === 'paused' } : s.info })),
    touch: (ts) => set({ lastEventAt: ts }),
  }));
}

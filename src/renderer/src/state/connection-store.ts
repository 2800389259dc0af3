// Connection and engine slice: the event stream's status, the engine's info and running/paused state.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineInfo } from '../../../shared/admin/core-routes.ts';
import type { StreamStatus } from '../api/event-stream.ts';

export type EngineRunState = 'running' | 'paused' | 'stopping' | 'unknown';

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
    setStream: (stream) => set({ stream }),
    setInfo: (info) => set({ info, engine: info.paused ? 'paused' : 'running' }),
    setEngine: (engine) => set((s) => ({ engine, info: s.info && engine !== 'stopping' ? { ...s.info, paused: engine === 'paused' } : s.info })),
    touch: (ts) => set({ lastEventAt: ts }),
  }));
}

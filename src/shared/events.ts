// Events on the live stream (`GET /admin/api/events`, server-sent events).
// Every event has a type and a timestamp; payloads are plain data, never secrets.
import type { Alert } from './alerts.ts';
import type { LiveSnapshot } from './metrics.ts';
import type { LoadTestProgress, LoadTestResult } from './loadtest.ts';
import type { CacheResult, Endpoint } from './targets.ts';

export interface RequestSummary {
  id: string;
  ts: number;
  endpoint: Endpoint | 'models' | 'other';
  path: string;
  method: string;
  model: string;
  requestedModel: string;
  provider: string;
  status: number;
  latencyMs: number;
  firstByteMs: number | null;
  stream: boolean;
  cache: CacheResult;
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  errorCode: string | null;
  client: string;
}

export type EngineEvent =
  | { type: 'hello'; ts: number; version: string }
  | { type: 'request'; ts: number; request: RequestSummary }
  | { type: 'metrics'; ts: number; snapshot: LiveSnapshot }
  | { type: 'cache'; ts: number; action: string; detail: unknown }
  | { type: 'routing'; ts: number; action: string; detail: unknown }
  /** An opening carries the outage's retryable failures so far and the upstream's last error (redacted). */
  | { type: 'breaker'; ts: number; target: string; state: 'closed' | 'open' | 'half-open'; failures?: number; lastError?: string | null; lastStatus?: number | null; lastUpstreamMessage?: string | null }
  | { type: 'budget'; ts: number; budget: string; level: 'threshold' | 'exhausted'; detail: unknown }
  /** A database file Sluice writes started failing (`error`: the SQLite code, e.g. SQLITE_FULL) or works again. */
  | { type: 'storage'; ts: number; file: string; state: 'failing' | 'recovered'; error: string | null }
  /** `desktop`: the user's notification settings ask for a native notification of this one (desktop host). */
  | { type: 'alert'; ts: number; action: 'opened' | 'updated' | 'resolved' | 'acknowledged'; alert: Alert; desktop?: boolean }
  | { type: 'config'; ts: number; section: string }
  | { type: 'loadtest'; ts: number; detail: ({ id: string; state: 'running' } & Partial<LoadTestProgress>) | { id: string; state: LoadTestResult['state']; result: LoadTestResult } }
  | { type: 'engine'; ts: number; state: 'running' | 'paused' | 'stopping' };

export type EngineEventType = EngineEvent['type'];

// The Load test form's values, their validation and conversion into a LoadTestSpec.
import { SIMULATOR_MODELS } from '../../../shared/simulator.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { LoadTestSpec } from '../../../shared/loadtest.ts';
import type { MessageKey } from '../i18n/en.ts';

export interface LoadTestFormValues {
  name: string;
  endpoint: LoadTestSpec['endpoint'];
  model: string;
  concurrency: string;
  stopBy: 'total' | 'duration';
  total: string;
  duration: string;
  repeatRatio: string;
  prompts: string;
}

export const DEFAULT_LOADTEST_FORM: LoadTestFormValues = {
  name: '', endpoint: 'chat', model: 'sim-fast', concurrency: '4', stopBy: 'total', total: '40', duration: '10', repeatRatio: '0.5', prompts: '',
};

/** The simulator's models by the endpoint they serve (chat-stream is chat). */
/** The simulator model the form offers for each endpoint it serves (the form's own default for chat). */
const SIMULATOR_DEFAULT: Record<Endpoint, string> = { chat: 'sim-fast', embeddings: 'sim-embed', speech: 'sim-tts' };
const served = (endpoint: LoadTestSpec['endpoint']): Endpoint => (endpoint === 'chat-stream' ? 'chat' : endpoint);

/** A new endpoint; a simulator model of another endpoint follows it (sim-fast → sim-embed), any other model stays. */
export function withEndpoint(v: LoadTestFormValues, endpoint: LoadTestSpec['endpoint']): LoadTestFormValues {
  const model = v.model.trim();
  const fits: readonly string[] = SIMULATOR_MODELS[served(endpoint)];
  const simulated = Object.values(SIMULATOR_MODELS).some((ms: readonly string[]) => ms.includes(model));
  return { ...v, endpoint, model: simulated && !fits.includes(model) ? SIMULATOR_DEFAULT[served(endpoint)] : v.model };
}

export type FormResult = { ok: true; spec: LoadTestSpec } | { ok: false; field: keyof LoadTestFormValues; error: MessageKey };

export function toLoadTestSpec(v: LoadTestFormValues): FormResult {
  const concurrency = Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) return { ok: false, field: 'concurrency', error: 'lt.invalid.concurrency' };
  const repeatRatio = Number(v.repeatRatio);
  if (v.repeatRatio.trim() === '' || !Number.isFinite(repeatRatio) || repeatRatio < 0 || repeatRatio > 1) return { ok: false, field: 'repeatRatio', error: 'lt.invalid.repeat' };
  const spec: LoadTestSpec = { endpoint: v.endpoint, model: v.model.trim(), concurrency, repeatRatio };
  if (v.stopBy === 'total') {
    const total = Number(v.total);
    if (!Number.isInteger(total) || total < 1) return { ok: false, field: 'total', error: 'lt.invalid.total' };
    spec.totalRequests = total;
  } else {
    const duration = Number(v.duration);
    if (!Number.isFinite(duration) || duration <= 0) return { ok: false, field: 'duration', error: 'lt.invalid.duration' };
    spec.durationSeconds = duration;
  }
  const prompts = v.prompts.split('\n').map((p) => p.trim()).filter(Boolean);
  if (prompts.length) spec.prompts = prompts;
  if (v.name.trim()) spec.name = v.name.trim();
  return { ok: true, spec };
}

// Finds OpenAI-compatible servers already running on this machine (Ollama, LM Studio) so they
// can be offered as providers without any setup.
import { request } from 'undici';
import type { ProviderConfig } from '../../shared/config.ts';

export interface LocalCandidate { id: string; label: string; baseUrl: string }

export const LOCAL_CANDIDATES: LocalCandidate[] = [
  { id: 'ollama', label: 'Ollama (detected)', baseUrl: 'http://127.0.0.1:11434/v1' },
  { id: 'lmstudio', label: 'LM Studio (detected)', baseUrl: 'http://127.0.0.1:1234/v1' },
];

async function probe(c: LocalCandidate, timeoutMs: number): Promise<ProviderConfig | null> {
  try {
    const res = await request(`${c.baseUrl}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    const parsed = JSON.parse(text) as { data?: Array<{ id?: unknown }> };
    if (!Array.isArray(parsed.data)) return null;
    const models = parsed.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
    return { id: c.id, type: 'openai-compatible', label: c.label, baseUrl: c.baseUrl, models, source: 'detected', enabled: true };
  } catch {
    return null;
  }
}

export async function detectLocalProviders(candidates: LocalCandidate[] = LOCAL_CANDIDATES, timeoutMs = 400): Promise<ProviderConfig[]> {
  const found = await Promise.all(candidates.map((c) => probe(c, timeoutMs)));
  return found.filter((p): p is ProviderConfig => p !== null);
}

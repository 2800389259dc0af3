// A cached chat answer always reports usage. An upstream answer that carried none (a stream whose
// client did not ask for stream_options.include_usage, which the openai SDK does not by default, or
// an upstream that reports none) is stored with Sluice's estimate in its body and its meta, marked
// meta.usageEstimated: for a stream, the estimate the request log makes of it (estimateChatUsage on
// the counted text). So a plain request it answers carries `usage`, a replayed stream that asked for
// include_usage ends with a usage chunk, and its hits count as tokens saved.
//
// Entries stored before (cache.db version 1) hold 0 + 0 tokens and no usage in their body. They are
// estimated when served, by withEstimatedUsage: the prompt from the request being answered (an exact
// hit's request has the messages of the one stored) and the completion from the cached answer's text,
// counted whole rather than chunk by chunk, so it can differ by a token or two from what the request log
// recorded then. The cache stage writes that estimate back into the entry (except on a semantic hit,
// whose request asked another question), so the browser and later hits count it; the hit that upgrades
// an entry counted no tokens saved. A chat entry whose upstream reported 0 + 0 is treated the same way.
import type { ChatCompletion, Usage } from '../../shared/openai.ts';
import { estimateChatUsage, estimateCompletionTokens } from '../routing/token-estimate.ts';
import type { CacheEntry } from './cache-entry.ts';

/** The body of a chat completion with `usage` set, in OpenAI's shape (the three counts, no `estimated`). */
export function bodyWithUsage(completion: ChatCompletion, usage: Usage): Buffer {
  const { prompt_tokens, completion_tokens, total_tokens } = usage;
  return Buffer.from(JSON.stringify({ ...completion, usage: { prompt_tokens, completion_tokens, total_tokens } }));
}

/** A chat entry that counts no tokens: stored by an older version, or its upstream reported 0 + 0. */
export function lacksUsage(entry: Pick<CacheEntry, 'endpoint' | 'meta'>): boolean {
  return entry.endpoint === 'chat' && entry.meta.promptTokens === 0 && entry.meta.completionTokens === 0;
}

/**
 * The entry with an estimated usage in its body and meta (priced with `costOf` when given), or null
 * when it already counts tokens or its body is not a chat completion.
 */
export function withEstimatedUsage(entry: CacheEntry, request: unknown, costOf?: (usage: Usage) => number): CacheEntry | null {
  if (!lacksUsage(entry)) return null;
  let completion: ChatCompletion;
  try {
    completion = JSON.parse(entry.body.toString('utf8')) as ChatCompletion;
  } catch {
    return null;
  }
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) return null;
  const usage = estimateChatUsage(request, estimateCompletionTokens(completion));
  const body = bodyWithUsage(completion, usage);
  let costUsd = entry.meta.costUsd;
  if (costOf) {
    try { costUsd = costOf(usage); } catch { /* keep what was stored */ }
  }
  return {
    ...entry, body, size: body.byteLength,
    meta: { ...entry.meta, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, usageEstimated: true, costUsd },
  };
}

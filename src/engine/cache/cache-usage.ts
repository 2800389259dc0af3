// A cached chat answer always reports usage. An upstream answer that carried none (a stream whose
// client did not ask for stream_options.include_usage, which the openai SDK does not by default, or
// an upstream that reports none) is stored with Sluice's estimate in its body and its meta, marked
// meta.usageEstimated: for a stream, the estimate the request log makes of it (estimateChatUsage on
// the counted text). So a plain request it answers carries `usage`, a replayed stream that asked for
// include_usage ends with a usage chunk, and its hits count as tokens saved.
import type { ChatCompletion, Usage } from '../../shared/openai.ts';

/** The body of a chat completion with `usage` set, in OpenAI's shape (the three counts, no `estimated`). */
export function bodyWithUsage(completion: ChatCompletion, usage: Usage): Buffer {
  const { prompt_tokens, completion_tokens, total_tokens } = usage;
  return Buffer.from(JSON.stringify({ ...completion, usage: { prompt_tokens, completion_tokens, total_tokens } }));
}

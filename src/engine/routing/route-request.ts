// The routing view of a request: endpoint, requested model, tags, estimated prompt tokens and,
// for chat, the complexity class. Computed once per request by the route stage.
import type { ChatCompletionRequest } from '../../shared/openai.ts';
import type { Endpoint } from '../../shared/targets.ts';
import { classifyComplexity } from './complexity.ts';
import type { RouteRequest } from './rules.ts';
import { estimateInputTokens, estimatePromptTokens } from './token-estimate.ts';

export interface SummarizeOptions {
  /** Run the complexity classifier (default true). Skip it when nothing would read the class (see needsComplexity). */
  classify?: boolean;
}

export function summarizeRequest(endpoint: Endpoint, body: unknown, tags: readonly string[] = [], opts: SummarizeOptions = {}): RouteRequest {
  const b = (body ?? {}) as Partial<ChatCompletionRequest> & { input?: unknown };
  const model = typeof b.model === 'string' ? b.model : '';
  if (endpoint === 'chat') {
    return {
      model, endpoint, tags,
      promptTokens: estimatePromptTokens(b.messages, b.tools),
      complexity: opts.classify === false ? null : classifyComplexity(b.messages).class,
    };
  }
  return { model, endpoint, tags, promptTokens: estimateInputTokens(b.input), complexity: null };
}

/** Tags from the `x-sluice-tags` header: comma separated, trimmed, lower-cased, de-duplicated. */
export { parseTags } from '../api/tags.ts';

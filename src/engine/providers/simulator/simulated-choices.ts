// The n choices of a simulated chat answer. Each is drawn from the request and its index, so they differ
// as a sampled model's do and are the same every time; choice 0 is the answer a one-choice request gets.
// A choice keeps its content as the pieces it streams in, each with its tokens' logprobs when asked, so
// the plain answer and the stream carry the same tokens.
import type { ChatCompletionRequest, ChatMessage, ToolCall } from '../../../shared/openai.ts';
import { simulatedJsonContent } from './simulated-json.ts';
import { logprobsOf, tokensOf, type TokenLogprob } from './simulated-logprobs.ts';
import { cutToTokens, roughTokens, seedOf, seededRandom, simulatedAnswer, streamPieces } from './simulated-text.ts';
import { toolArguments, toolToCall } from './simulated-tool-call.ts';

export interface ChoicePiece { text: string; logprobs: TokenLogprob[] }

export interface SimulatedChoice {
  index: number;
  /** The answer in words; null when the choice calls a tool. */
  content: string | null;
  toolCall: ToolCall | null;
  reasoning: string | null;
  finish: 'stop' | 'length' | 'tool_calls';
  completionTokens: number;
  /** The content as it streams; each piece's logprobs are empty unless the request asks for them. */
  pieces: ChoicePiece[];
}

/** A draw that repeats an earlier choice is drawn again, this many times at most (a schema may allow one value only). */
const DRAWS = 4;

/** The words of a message's content (its text parts, for an array). */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p as { text?: unknown }).text).filter((t) => typeof t === 'string').join(' ');
  return '';
}

/** The choices for a request; `key` is what its answers are drawn from (model, prompt, seed). */
export function simulatedChoices(req: ChatCompletionRequest, key: string): SimulatedChoice[] {
  const last = req.messages[req.messages.length - 1];
  const lastText = textOf(last?.content);
  const tool = toolToCall(req, last);
  const reasoning = req.model.includes('reason') ? `Thinking about: ${lastText.slice(0, 60)}` : null;
  const reasoningTokens = reasoning ? roughTokens(reasoning) : 0;
  const limit = req.max_completion_tokens ?? req.max_tokens;
  const top = typeof req.top_logprobs === 'number' ? req.top_logprobs : 0;
  const seen = new Set<string>();

  return Array.from({ length: Math.max(1, req.n ?? 1) }, (_, index) => {
    let seed = 0;
    let whole = '';
    for (let draw = 0; draw < DRAWS && (draw === 0 || seen.has(whole)); draw++) {
      seed = index === 0 && draw === 0 ? seedOf(key) : seedOf(`${key}\n${index}\n${draw}`);
      // JSON modes answer JSON
      const prose = simulatedAnswer(seed);
      whole = tool ? toolArguments(tool.parameters, lastText, seed) : simulatedJsonContent(req.response_format, prose, seededRandom(seed ^ 0x9e3779b9)) ?? prose;
    }
    seen.add(whole);
    if (tool) {
      const toolCall: ToolCall = { id: `call_${seed.toString(16)}`, type: 'function', function: { name: tool.name, arguments: whole } };
      return { index, content: null, toolCall, reasoning, finish: 'tool_calls', completionTokens: roughTokens(whole) + reasoningTokens, pieces: [] };
    }
    // a token limit cuts the answer where a model would stop, and says so
    const { text, cut } = typeof limit === 'number' ? cutToTokens(whole, Math.max(1, limit - reasoningTokens)) : { text: whole, cut: false };
    const random = seededRandom(seed ^ 0x27d4eb2d);
    const pieces = streamPieces(text).map((piece) => ({ text: piece, logprobs: req.logprobs === true ? logprobsOf(tokensOf(piece), top, random) : [] }));
    return { index, content: text, toolCall: null, reasoning, finish: cut ? 'length' : 'stop', completionTokens: roughTokens(text) + reasoningTokens, pieces };
  });
}

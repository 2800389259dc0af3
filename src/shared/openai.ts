// OpenAI wire shapes that Sluice reads and writes. Plain data types only: no runtime code.

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';

export interface ContentPartText { type: 'text'; text: string }
export interface ContentPartImage { type: 'image_url'; image_url: { url: string; detail?: string } }
export type ContentPart = ContentPartText | ContentPartImage | { type: string; [k: string]: unknown };

export interface ToolCall {
  id?: string;
  type?: 'function';
  index?: number;
  function: { name?: string; arguments?: string };
}

export interface ChatMessage {
  role: Role;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  reasoning_content?: string | null;
  [k: string]: unknown;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  seed?: number | null;
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: unknown;
  user?: string;
  metadata?: Record<string, string>;
  [k: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [k: string]: unknown;
}

export interface ChatChoice {
  index: number;
  message: ChatMessage;
  finish_reason: string | null;
  logprobs?: unknown;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

export interface ChatChunkChoice {
  index: number;
  delta: Partial<ChatMessage>;
  finish_reason: string | null;
  logprobs?: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

export interface EmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [k: string]: unknown;
}

export interface Embedding { object: 'embedding'; index: number; embedding: number[] | string }

export interface EmbeddingsResponse {
  object: 'list';
  data: Embedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  response_format?: SpeechFormat;
  speed?: number;
  instructions?: string;
  [k: string]: unknown;
}

export interface ModelObject { id: string; object: 'model'; created: number; owned_by: string; [k: string]: unknown }
export interface ModelList { object: 'list'; data: ModelObject[] }

/**
 * One problem of a refused document (Sluice's addition to OpenAI's error: each with its path). A routing
 * document's problems carry a `code` (src/shared/routing-issues.ts) and the values its words name.
 */
export interface ErrorIssue { param: string | null; message: string; code?: string; vars?: Record<string, string | number> }

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param?: string | null; issues?: ErrorIssue[] };
}

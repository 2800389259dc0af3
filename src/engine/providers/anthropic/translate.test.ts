import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../../shared/openai.ts';
import { fromAnthropicResponse, toAnthropicRequest } from './translate.ts';

const opts = { defaultMaxTokens: 1024 };

describe('OpenAI → Anthropic request', () => {
  it('hoists system prompts, defaults max_tokens, maps stop, temperature and user', () => {
    const req: ChatCompletionRequest = {
      model: 'claude-sonnet-4',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hello' },
      ],
      stop: 'END', temperature: 1.7, top_p: 0.9, user: 'u1',
    };
    expect(toAnthropicRequest(req, opts)).toEqual({
      model: 'claude-sonnet-4', system: 'Be brief.\n\nAnswer in French.', max_tokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stop_sequences: ['END'], temperature: 1, top_p: 0.9, metadata: { user_id: 'u1' },
    });
    expect(toAnthropicRequest({ ...req, max_tokens: 50 }, opts).max_tokens).toBe(50);
    expect(toAnthropicRequest({ ...req, max_tokens: 50, max_completion_tokens: 70, stream: true }, opts)).toMatchObject({ max_tokens: 70, stream: true });
  });

  it('translates images given as data URLs and as links', () => {
    const out = toAnthropicRequest({ model: 'c', messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ] }] }, opts);
    expect(out.messages[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('translates tools, tool_choice, tool calls and their results (merging consecutive results)', () => {
    const out = toAnthropicRequest({
      model: 'c',
      tools: [{ type: 'function', function: { name: 'weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'tool', tool_call_id: 'call_2', content: '25C' },
      ],
    }, opts);
    expect(out.tools).toEqual([{ name: 'weather', description: 'Weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'weather', disable_parallel_tool_use: true });
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      { role: 'assistant', content: [
        { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
        { type: 'tool_result', tool_use_id: 'call_2', content: '25C' },
      ] },
    ]);
    expect(toAnthropicRequest({ model: 'c', messages: [], tool_choice: 'required' }, opts).tool_choice).toEqual({ type: 'any' });
    expect(toAnthropicRequest({ model: 'c', messages: [], tool_choice: 'none' }, opts).tool_choice).toEqual({ type: 'none' });
  });
});

describe('Anthropic → OpenAI response', () => {
  it('maps text, thinking, tool use, stop reason and usage', () => {
    const out = fromAnthropicResponse({
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4',
      content: [
        { type: 'thinking', thinking: 'Let me see.' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 5 },
    }, 1_700_000_000);
    expect(out).toEqual({
      id: 'msg_1', object: 'chat.completion', created: 1_700_000_000, model: 'claude-sonnet-4',
      choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: {
        role: 'assistant', content: 'Checking.', reasoning_content: 'Let me see.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      } }],
      usage: { prompt_tokens: 15, completion_tokens: 20, total_tokens: 35, prompt_tokens_details: { cached_tokens: 5 } },
    });
  });

  it.each([['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['refusal', 'content_filter']])('stop_reason %s → %s', (stop, finish) => {
    const out = fromAnthropicResponse({ id: 'm', type: 'message', role: 'assistant', model: 'c', content: [{ type: 'text', text: 'x' }], stop_reason: stop }, 0);
    expect(out.choices[0].finish_reason).toBe(finish);
  });
});

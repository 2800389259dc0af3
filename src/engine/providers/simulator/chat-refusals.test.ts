import { describe, expect, it } from 'vitest';
import { chatRefusal } from './chat-refusals.ts';

const hi = [{ role: 'user', content: 'hi' }];
const weather = { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const refusal = (body: Record<string, unknown>) => {
  const err = chatRefusal({ model: 'sim-chat', messages: hi, ...body });
  return err && { status: err.status, type: err.type, code: err.clientCode, param: err.param, message: err.message };
};

describe('chatRefusal: what OpenAI refuses, the simulator refuses, with OpenAI\'s param', () => {
  it('refuses a response_format OpenAI does not have, and json_schema without its json_schema object or name', () => {
    expect(refusal({ response_format: { type: 'xml' } })).toEqual({
      status: 400, type: 'invalid_request_error', code: 'invalid_value', param: 'response_format.type',
      message: "Invalid value for 'response_format.type': 'xml'. Supported values are: 'text', 'json_object', 'json_schema'.",
    });
    expect(refusal({ response_format: { type: 'json_schema' } })).toMatchObject({
      code: 'missing_required_parameter', param: 'response_format.json_schema', message: "Missing required parameter: 'response_format.json_schema'.",
    });
    expect(refusal({ response_format: { type: 'json_schema', json_schema: { schema: {} } } })).toMatchObject({ param: 'response_format.json_schema.name' });
    expect(refusal({ response_format: { type: 'json_schema', json_schema: { name: 'a b', schema: {} } } })).toMatchObject({ param: 'response_format.json_schema.name', code: 'invalid_value' });
    expect(refusal({ response_format: 'json' })).toMatchObject({ param: 'response_format', code: 'invalid_type' });
    expect(refusal({ response_format: {} })).toMatchObject({ param: 'response_format.type', code: 'missing_required_parameter' });
  });

  it('refuses json_object when no message says "json", as OpenAI does', () => {
    expect(refusal({ response_format: { type: 'json_object' } })).toMatchObject({ param: 'messages', message: expect.stringContaining("the word 'json'") });
    expect(refusal({ response_format: { type: 'json_object' }, messages: [{ role: 'system', content: 'Answer in JSON.' }, ...hi] })).toBeNull();
    expect(refusal({ response_format: { type: 'json_object' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'as json' }] }] })).toBeNull();
  });

  it('refuses a tool without its function, a function without a usable name, an empty tools list and custom tools', () => {
    expect(refusal({ tools: [{ type: 'function' }] })).toEqual({
      status: 400, type: 'invalid_request_error', code: 'missing_required_parameter', param: 'tools[0].function',
      message: "Missing required parameter: 'tools[0].function'.",
    });
    expect(refusal({ tools: [weather, { type: 'function', function: {} }] })).toMatchObject({ param: 'tools[1].function.name' });
    expect(refusal({ tools: [{ type: 'function', function: { name: 'get weather' } }] })).toMatchObject({ param: 'tools[0].function.name', code: 'invalid_value' });
    expect(refusal({ tools: [{ type: 'retrieval' }] })).toMatchObject({ param: 'tools[0].type', message: expect.stringContaining("'function', 'custom'") });
    expect(refusal({ tools: [{ function: weather.function }] })).toMatchObject({ param: 'tools[0].type', code: 'missing_required_parameter' });
    expect(refusal({ tools: [] })).toMatchObject({ param: 'tools', code: 'empty_array' });
    expect(refusal({ tools: [{ type: 'custom', custom: { name: 'x' } }] })).toMatchObject({ param: 'tools[0].type', code: 'unsupported_value' });
    expect(refusal({ tools: [{ type: 'function', function: { name: 'f', parameters: 'none' } }] })).toMatchObject({ param: 'tools[0].function.parameters' });
  });

  it('refuses tool_choice without tools, one OpenAI does not have, and one naming a function the tools do not declare', () => {
    for (const tool_choice of ['required', 'auto', 'none', { type: 'function', function: { name: 'weather' } }]) {
      expect(refusal({ tool_choice })).toEqual({
        status: 400, type: 'invalid_request_error', code: 'invalid_value', param: 'tool_choice',
        message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      });
    }
    expect(refusal({ tools: [weather], tool_choice: 'any' })).toMatchObject({ param: 'tool_choice', message: expect.stringContaining("'none', 'auto', 'required'") });
    expect(refusal({ tools: [weather], tool_choice: { type: 'function', function: { name: 'forecast' } } })).toMatchObject({
      code: 'invalid_value', param: 'tool_choice',
      message: "Invalid value for 'tool_choice': no function named 'forecast' was specified in the 'tools' parameter.",
    });
    expect(refusal({ tools: [weather], tool_choice: { type: 'function' } })).toMatchObject({ param: 'tool_choice.function' });
    expect(refusal({ tools: [weather], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'x' } }] } } }))
      .toMatchObject({ param: 'tool_choice.allowed_tools.tools[0]' });
    expect(refusal({ tools: [weather], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'sometimes', tools: [] } } })).toMatchObject({ param: 'tool_choice.allowed_tools.mode' });
  });

  it('refuses logit_bias keyed by anything but token ids, or biased past ±100', () => {
    expect(refusal({ logit_bias: { abc: 500 } })).toEqual({
      status: 400, type: 'invalid_request_error', code: 'invalid_value', param: 'logit_bias',
      message: "Invalid key in 'logit_bias': 'abc'. Keys are token ids, written as non-negative integers.",
    });
    expect(refusal({ logit_bias: { 50256: 500 } })).toMatchObject({ param: 'logit_bias', message: expect.stringContaining('from -100 to 100') });
    expect(refusal({ logit_bias: { 50256: '5' } })).toMatchObject({ param: 'logit_bias' });
    expect(refusal({ logit_bias: [1] })).toMatchObject({ param: 'logit_bias', code: 'invalid_type' });
  });

  it('refuses a content part type OpenAI does not have, or one its role cannot hold, and a part without its object', () => {
    expect(refusal({ messages: [{ role: 'user', content: [{ type: 'bogus' }] }] })).toEqual({
      status: 400, type: 'invalid_request_error', code: 'invalid_value', param: 'messages[0].content[0].type',
      message: "Invalid value for 'messages[0].content[0].type': 'bogus'. Supported values are: 'text', 'image_url', 'input_audio', 'file'.",
    });
    expect(refusal({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, ...hi] }))
      .toMatchObject({ param: 'messages[0].content[0].type', message: expect.stringContaining("Supported values are: 'text'.") });
    expect(refusal({ messages: [{ role: 'user', content: [{ type: 'image_url' }] }] })).toMatchObject({ param: 'messages[0].content[0].image_url' });
    expect(refusal({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'ogg' } }] }] }))
      .toMatchObject({ param: 'messages[0].content[0].input_audio.format' });
    expect(refusal({ messages: [...hi, { role: 'tool', content: 'sunny' }] })).toMatchObject({ param: 'messages[1].tool_call_id' });
  });

  it('refuses top_logprobs without logprobs or past 20, and stream_options without stream', () => {
    expect(refusal({ top_logprobs: 2 })).toMatchObject({ param: 'top_logprobs', message: expect.stringContaining("'logprobs' must be set to true") });
    expect(refusal({ logprobs: true, top_logprobs: 21 })).toMatchObject({ param: 'top_logprobs', message: "Invalid 'top_logprobs': expected a value from 0 to 20, got 21" });
    expect(refusal({ logprobs: 'yes' })).toMatchObject({ param: 'logprobs', code: 'invalid_type' });
    expect(refusal({ stream_options: { include_usage: true } })).toMatchObject({ param: 'stream_options' });
    expect(refusal({ stream: true, stream_options: { include_usage: true } })).toBeNull();
  });

  it('takes what OpenAI takes', () => {
    const ok: Array<Record<string, unknown>> = [
      {},
      { response_format: { type: 'text' } },
      { response_format: { type: 'json_schema', json_schema: { name: 'city_2', strict: true, schema: { type: 'object' } } } },
      { tools: [weather], tool_choice: 'required' },
      { tools: [weather], tool_choice: { type: 'function', function: { name: 'weather' } } },
      { tools: [weather], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'weather' } }] } } },
      { tools: null, tool_choice: null, logit_bias: null, response_format: null },
      { logit_bias: { 50256: -100, 1734: 2.5 } },
      { logprobs: true, top_logprobs: 0 },
      { logprobs: false },
      {
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
          { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
          { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
        ],
        tools: [weather],
      },
    ];
    for (const body of ok) expect(refusal(body), JSON.stringify(body)).toBeNull();
  });
});

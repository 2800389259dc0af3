// Which function the simulator calls, as tool_choice asks (a named function, `required`, allowed_tools,
// else when the user has just spoken), and with what arguments. chat-refusals.ts has already refused a
// tool_choice that names a function the tools do not declare.
import type { ChatCompletionRequest, ChatMessage } from '../../../shared/openai.ts';
import { isObj } from '../../../shared/is-obj.ts';
import { valueForSchema } from './simulated-json.ts';
import { seededRandom } from './simulated-text.ts';

export interface ToolToCall { name: string; parameters: unknown }

function functionName(v: unknown): string | undefined {
  return isObj(v) && v.type === 'function' && isObj(v.function) && typeof v.function.name === 'string' ? v.function.name : undefined;
}

/** The function tool to call, or null to answer in words. */
export function toolToCall(req: ChatCompletionRequest, last: ChatMessage | undefined): ToolToCall | null {
  const declared = (Array.isArray(req.tools) ? req.tools : []).flatMap((t) => {
    const name = functionName(t);
    return name === undefined ? [] : [{ name, parameters: (t as { function: { parameters?: unknown } }).function.parameters }];
  });
  const tc = req.tool_choice;
  if (declared.length === 0 || tc === 'none') return null;
  let candidates = declared;
  let forced = tc === 'required';
  if (isObj(tc) && tc.type === 'function') {
    candidates = declared.filter((d) => d.name === functionName(tc));
    forced = true;
  } else if (isObj(tc) && tc.type === 'allowed_tools' && isObj(tc.allowed_tools)) {
    const allowed = new Set((Array.isArray(tc.allowed_tools.tools) ? tc.allowed_tools.tools : []).map(functionName));
    candidates = declared.filter((d) => allowed.has(d.name));
    forced = tc.allowed_tools.mode === 'required';
  }
  // a model that may choose calls a tool when the user has just asked something, and answers a tool's result
  return candidates.length > 0 && (forced || last?.role === 'user') ? candidates[0] : null;
}

/**
 * A tool call's arguments: a value of the tool's parameters schema, drawn from the prompt's words, so
 * code that parses them against that schema (the SDK's runTools, zod) works; `{ query }` for a tool
 * that declares no parameters.
 */
export function toolArguments(parameters: unknown, prompt: string, seed: number): string {
  const props = (parameters as { properties?: unknown } | null)?.properties;
  if (!props || typeof props !== 'object' || Object.keys(props).length === 0) return JSON.stringify({ query: prompt.slice(0, 80) });
  return JSON.stringify(valueForSchema(parameters, { random: seededRandom(seed ^ 0x85ebca6b), words: prompt.split(/\s+/).filter(Boolean) }));
}

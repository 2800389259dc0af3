// What a built-in provider refuses before calling anyone (a model it has for another endpoint, a voice
// it does not have, a format it cannot give), each made once as the engine's English, the 400's
// message, and as data the panel words in the reader's language.
import type { Endpoint } from '../../shared/targets.ts';
import { said } from '../sayings.ts';

const API_NAMES: Record<Endpoint, string> = { chat: 'chat completions', embeddings: 'embeddings', speech: 'speech' };

/** One of the simulator's models asked for at another endpoint (sim-embed for chat). */
export const otherEndpointModel = (model: string, own: Endpoint, wanted: Endpoint, models: readonly string[]) =>
  said(`'${model}' is the simulator's ${API_NAMES[own]} model; for ${API_NAMES[wanted]} use ${models.join(' or ')}.`, 'provider.otherEndpointModel', {
    model, own, wanted, models: [...models],
  });

export const simulatorVoice = (voice: string, voices: readonly string[]) =>
  said(`The simulator has no voice '${voice}'; its voices are ${voices.join(', ')}.`, 'provider.simulator.voice', { voice, voices: [...voices] });
export const simulatorFormat = (format: string) => said(`The simulator's voices can give wav or pcm, not '${format}'.`, 'provider.simulator.format', { format });

// The simulator's chat refuses what OpenAI's chat completions refuse (an app tried against it must not
// meet its first 400 at OpenAI), worded as OpenAI words them and naming the field at fault.
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`);
export const simulatorInvalidValue = (param: string, value: string, values: readonly string[]) =>
  said(`Invalid value for '${param}': '${value}'. Supported values are: ${quoted(values).join(', ')}.`, 'provider.simulator.invalidValue', {
    param, value, values: quoted(values),
  });
export const simulatorMissing = (param: string) => said(`Missing required parameter: '${param}'.`, 'provider.simulator.missing', { param });
export const simulatorEmptyArray = (param: string) =>
  said(`Invalid '${param}': empty array. Expected an array with at least one item; leave '${param}' out instead.`, 'provider.simulator.emptyArray', { param });
/** OpenAI's rule for function and schema names. */
export const NAME_PATTERN = '^[a-zA-Z0-9_-]{1,64}$';
export const simulatorNamePattern = (param: string, name: string) =>
  said(`Invalid '${param}': '${name}' does not match the pattern '${NAME_PATTERN}' (letters, digits, _ and -, at most 64).`, 'provider.simulator.namePattern', {
    param, name, pattern: NAME_PATTERN,
  });
export const SIMULATOR_TOOL_CHOICE_WITHOUT_TOOLS = said("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'provider.simulator.toolChoiceWithoutTools');
export const simulatorToolChoiceUnknown = (param: string, name: string) =>
  said(`Invalid value for '${param}': no function named '${name}' was specified in the 'tools' parameter.`, 'provider.simulator.toolChoiceUnknown', { param, name });
export const simulatorLogitBiasKey = (key: string) =>
  said(`Invalid key in 'logit_bias': '${key}'. Keys are token ids, written as non-negative integers.`, 'provider.simulator.logitBiasKey', { key });
export const simulatorLogitBiasValue = (key: string, value: string) =>
  said(`Invalid value in 'logit_bias' for token ${key}: ${value}. Expected a number from -100 to 100.`, 'provider.simulator.logitBiasValue', { key, value });
export const SIMULATOR_TOP_LOGPROBS_NEEDS_LOGPROBS = said("Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", 'provider.simulator.topLogprobs');
export const SIMULATOR_STREAM_OPTIONS_WITHOUT_STREAM = said("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'provider.simulator.streamOptions');
export const SIMULATOR_JSON_WORD = said("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'provider.simulator.jsonWord');
export const simulatorCustomTool = (param: string) =>
  said(`The simulator calls function tools only, and '${param}' is a custom tool; give it function tools, or try custom tools against OpenAI.`, 'provider.simulator.customTool', { param });

export const edgeFormat = (voice: string, formats: readonly string[], format: string) =>
  said(`Voice '${voice}' of Edge read-aloud can give ${formats.join(', ')}, not '${format}'.`, 'provider.edge.format', { voice, formats: [...formats], format });
export const edgeVoice = (voice: string) =>
  said(`Unknown voice '${voice}' for Edge read-aloud; voices look like zh-CN-XiaoxiaoNeural or en-US-AriaNeural.`, 'provider.edge.voice', { voice });

export const espeakFormat = (voice: string, formats: readonly string[], format: string, needsFfmpeg: boolean) =>
  said(`Voice '${voice}' of espeak-ng can give ${formats.join(', ')}, not '${format}'${needsFfmpeg ? ` ('${format}' needs ffmpeg, which is not on PATH)` : ''}.`,
    'provider.espeak.format', { voice, formats: [...formats], format, ffmpeg: needsFfmpeg ? 1 : 0 });
export const espeakVoice = (voice: string) =>
  said(`Unknown voice '${voice}' for espeak-ng; try en-us, en-gb, cmn (Chinese), fr, de, es or see the voice list.`, 'provider.espeak.voice', { voice });

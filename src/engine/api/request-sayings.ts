// Why the proxy refuses a request body (a 400 naming the field), each sentence made once as the
// engine's English, the error's message, and as data the panel words in the reader's language: the
// request log's validate step and the explain tester show it. test/trace-sayings.test.ts holds the
// panel's English equal to these texts.
import { said, type Said } from '../sayings.ts';

export const missingField = (param: string) => said(`Missing required field '${param}'.`, 'request.missing', { param });
/** `Invalid 'param': problem` (chat, embeddings). */
export const invalidField = (param: string, problem: Said) => said(`Invalid '${param}': ${problem.text}`, 'request.invalid', { param, problem: problem.say });
/** `Invalid 'param': problem.` (speech words its problems as sentences). */
export const invalidFieldSentence = (param: string, problem: Said) => said(`Invalid '${param}': ${problem.text}.`, 'request.invalidSentence', { param, problem: problem.say });

// ---- what a field should have been ----------------------------------------------------------------

export const EXPECT_NON_EMPTY_STRING = said('expected a non-empty string', 'request.expect.nonEmptyString');
export const expectAtMostChars = (max: number) => said(`longer than ${max} characters`, 'request.expect.maxChars', { max });
export const EXPECT_NUMBER = said('expected a number', 'request.expect.number');
export const EXPECT_INTEGER = said('expected an integer', 'request.expect.integer');
export const expectRange = (min: number, max: number, value: number) => said(`expected a value from ${min} to ${max}, got ${value}`, 'request.expect.range', { min, max, value });
export const EXPECT_BOOLEAN = said('expected a boolean', 'request.expect.boolean');
export const EXPECT_CONTENT = said('expected a string, an array of content parts, or null', 'request.expect.content');
export const EXPECT_CONTENT_PART = said("expected a content part object with a 'type'", 'request.expect.contentPart');
export const EXPECT_STRING = said('expected a string', 'request.expect.string');
export const EXPECT_MESSAGE_LIST = said('expected an array of messages', 'request.expect.messageList');
export const EXPECT_A_MESSAGE = said('expected at least one message', 'request.expect.aMessage');
export const EXPECT_OBJECT = said('expected an object', 'request.expect.object');
export const expectOneOf = (values: readonly string[]) => said(`expected one of ${values.join(', ')}`, 'request.expect.oneOf', { values: values.join(', ') });
export const EXPECT_ARRAY = said('expected an array', 'request.expect.array');
export const EXPECT_STOP = said('expected a string or an array of up to 4 strings', 'request.expect.stop');
export const EXPECT_AN_INPUT = said('expected at least one input', 'request.expect.anInput');
export const expectAtMostInputs = (max: number) => said(`at most ${max} inputs per request`, 'request.expect.maxInputs', { max });
export const EXPECT_INPUT_LIST = said('expected a string, an array of strings, or token arrays', 'request.expect.inputList');
export const EXPECT_STRING_OR_ARRAY = said('expected a string or an array', 'request.expect.stringOrArray');
export const expectEither = (a: string, b: string) => said(`expected '${a}' or '${b}'`, 'request.expect.either', { a, b });

// ---- speech --------------------------------------------------------------------------------------

export const BODY_NOT_OBJECT = said('The request body must be a JSON object.', 'request.notObject');
export const missingSpeechInput = (param: string) => said(`Missing '${param}': the text to speak.`, 'request.missingInput', { param });
export const MISSING_VOICE = said("Missing 'voice': name one of the provider's voices.", 'request.missingVoice');
export const EXPECT_MODEL_NAME = said('expected a model name', 'request.expect.modelName');
export const EXPECT_SPEECH_TEXT = said('expected a string of text to speak', 'request.expect.speechText');
export const EMPTY_TEXT = said('the text is empty', 'request.expect.emptyText');
export const textTooLong = (chars: number, max: number) => said(`${chars} characters, over the limit of ${max}`, 'request.expect.tooLong', { chars, max });
export const EXPECT_VOICE_NAME = said('expected a voice name', 'request.expect.voiceName');
export const notOneOf = (value: string, values: readonly string[]) => said(`'${value}' is not one of ${values.join(', ')}`, 'request.expect.notOneOf', { value, values: values.join(', ') });
export const expectNumberFrom = (min: number, max: number) => said(`expected a number from ${min} to ${max}`, 'request.expect.numberFrom', { min, max });

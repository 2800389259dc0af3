// OpenAI's speech body defaults to mp3, which the simulator and espeak-ng without ffmpeg cannot make.
// When a client names no response_format (the openai SDK sends none), the target about to answer
// chooses: mp3 when it can make it, else wav, else its first format, so a first speech call works
// wherever it lands. The answer says which in x-sluice-response-format. A format the client named is
// left alone: one the target cannot make stays a 400 naming the formats it can.
import type { SpeechFormat } from '../../shared/openai.ts';
import type { Target } from '../../shared/targets.ts';
import type { Handler, Stage } from '../pipeline/context.ts';
import { SPEECH_FORMATS } from './speech-request.ts';

export const RESPONSE_FORMAT_HEADER = 'x-sluice-response-format';

/** The format for a request that named none, given what the target can make (undefined: all of OpenAI's). */
export function defaultSpeechFormat(formats: readonly string[] | undefined): SpeechFormat {
  if (!formats || formats.includes('mp3')) return 'mp3';
  if (formats.includes('wav')) return 'wav';
  return SPEECH_FORMATS.find((f) => formats.includes(f)) ?? 'mp3';
}

export interface SpeechFormatStageOptions {
  /** The formats `target` can give `voice` in; undefined when it does not say (any of OpenAI's). */
  formatsOf(target: Target, voice: string): readonly string[] | undefined;
}

export function createSpeechFormatStage(opts: SpeechFormatStageOptions): Stage {
  if (typeof opts?.formatsOf !== 'function') throw new TypeError('createSpeechFormatStage: formatsOf is required');
  return (next) => {
    const choose: Handler = async (ctx) => {
      const target = ctx.targets[0];
      const format = defaultSpeechFormat(target ? opts.formatsOf(target, String(ctx.body.voice)) : undefined);
      ctx.body = { ...ctx.body, response_format: format };
      if (format !== 'mp3') {
        ctx.trace.push({
          stage: 'speech', message: `no response_format named and ${target.provider} cannot give mp3: answering ${format}`,
          say: { id: 'speech.defaultFormat', vars: { provider: target.provider, format } },
        });
      }
      const result = await next(ctx);
      return { ...result, headers: { ...result.headers, [RESPONSE_FORMAT_HEADER]: format } };
    };
    // every other request passes straight on, without an async frame of this stage's own
    return (ctx) => (ctx.endpoint !== 'speech' || ctx.body.response_format !== undefined ? next(ctx) : choose(ctx));
  };
}

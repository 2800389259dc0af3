// Text-to-speech: the `tts` config section and the voice listings, as plain data.
//
// Voice listing (Sluice's own route; OpenAI has none):
//   GET /v1/audio/voices[?model=<name>]  →  { object: 'list', data: SpeechVoice[] }
// Without `model`, every speech provider's voices; with it, the voices of the provider that model
// resolves to (e.g. `espeak`, `espeak-ng`, `edge-tts`, `sim-tts`, `provider/model`). The admin
// route `GET /admin/api/tts/voices` gives the same grouped by provider, with each one's formats.

export interface SentenceModeConfig {
  /** Speak wav/pcm/mp3 replies of more than one sentence sentence by sentence (each cached on its own). Default true. */
  enabled: boolean;
  /** Sentences of one reply synthesized at the same time (cache hits do not count). Default 3. */
  concurrency: number;
  /** A longer sentence is cut at a comma or space. Default 300. */
  maxSentenceChars: number;
}

export interface TtsConfig {
  /** Longest text accepted, in characters after whitespace is normalised. Default 4096 (OpenAI's limit). */
  maxInputChars: number;
  sentenceMode: SentenceModeConfig;
}

export interface SpeechVoice {
  object: 'voice';
  /** What to pass as `voice`. */
  id: string;
  name: string;
  language: string;
  gender?: string;
  /** The provider that speaks it, and the model names that reach that provider. */
  provider: string;
  models: string[];
}

export interface SpeechVoiceList {
  object: 'list';
  data: SpeechVoice[];
}

export interface TtsProviderVoices {
  provider: string;
  label: string;
  type: string;
  models: string[];
  /** Audio formats it can give (OpenAI's names). */
  formats: string[];
  voices: Array<Omit<SpeechVoice, 'object' | 'provider' | 'models'>>;
  /** Why the voices could not be listed (e.g. espeak-ng not installed). */
  error?: string;
}

export interface TtsVoicesView {
  providers: TtsProviderVoices[];
}

// Admin routes of text-to-speech: the voices of every speech provider.
import type { TtsVoicesView } from '../tts.ts';
import { route } from './route.ts';

export const ttsRoutes = {
  /** Query `model`: only the provider that model resolves to. */
  ttsVoices: route<{ model?: string }, void, TtsVoicesView>('GET', '/admin/api/tts/voices'),
} as const;

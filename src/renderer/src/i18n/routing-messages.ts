// Strings of the Routing page (spread into en.ts and zh-CN.ts).
import type { Translations } from './translations.ts';

export const routingEn = {
  'routing.title': 'Routing',
} as const;

export const routingZh: Translations<typeof routingEn> = {
  'routing.title': 'routing',
};

// A built-in selection of Edge's read-aloud voices (the service offers several hundred; with no
// network at start-up we do not fetch the list). Any well-formed `xx-YY-NameNeural` id is accepted.
import type { VoiceInfo } from '../provider.ts';

const V = (id: string, gender: 'female' | 'male'): VoiceInfo => ({
  id, name: id.split('-').slice(2).join('-').replace(/Neural$/, ''), language: id.split('-').slice(0, 2).join('-'), gender,
});

export const EDGE_VOICES: readonly VoiceInfo[] = [
  V('zh-CN-XiaoxiaoNeural', 'female'), V('zh-CN-XiaoyiNeural', 'female'), V('zh-CN-YunjianNeural', 'male'),
  V('zh-CN-YunxiNeural', 'male'), V('zh-CN-YunxiaNeural', 'male'), V('zh-CN-YunyangNeural', 'male'),
  V('zh-CN-liaoning-XiaobeiNeural', 'female'), V('zh-CN-shaanxi-XiaoniNeural', 'female'),
  V('zh-HK-HiuGaaiNeural', 'female'), V('zh-HK-HiuMaanNeural', 'female'), V('zh-HK-WanLungNeural', 'male'),
  V('zh-TW-HsiaoChenNeural', 'female'), V('zh-TW-HsiaoYuNeural', 'female'), V('zh-TW-YunJheNeural', 'male'),
  V('en-US-AriaNeural', 'female'), V('en-US-AnaNeural', 'female'), V('en-US-AvaNeural', 'female'),
  V('en-US-EmmaNeural', 'female'), V('en-US-JennyNeural', 'female'), V('en-US-MichelleNeural', 'female'),
  V('en-US-AndrewNeural', 'male'), V('en-US-BrianNeural', 'male'), V('en-US-ChristopherNeural', 'male'),
  V('en-US-EricNeural', 'male'), V('en-US-GuyNeural', 'male'), V('en-US-RogerNeural', 'male'), V('en-US-SteffanNeural', 'male'),
  V('en-GB-LibbyNeural', 'female'), V('en-GB-SoniaNeural', 'female'), V('en-GB-RyanNeural', 'male'),
  V('en-AU-NatashaNeural', 'female'), V('en-AU-WilliamNeural', 'male'), V('en-IN-NeerjaNeural', 'female'),
  V('ja-JP-NanamiNeural', 'female'), V('ja-JP-KeitaNeural', 'male'), V('ko-KR-SunHiNeural', 'female'),
  V('ko-KR-InJoonNeural', 'male'), V('fr-FR-DeniseNeural', 'female'), V('fr-FR-HenriNeural', 'male'),
  V('de-DE-KatjaNeural', 'female'), V('de-DE-ConradNeural', 'male'), V('es-ES-ElviraNeural', 'female'),
  V('es-ES-AlvaroNeural', 'male'), V('es-MX-DaliaNeural', 'female'), V('it-IT-ElsaNeural', 'female'),
  V('it-IT-DiegoNeural', 'male'), V('pt-BR-FranciscaNeural', 'female'), V('pt-BR-AntonioNeural', 'male'),
  V('ru-RU-SvetlanaNeural', 'female'), V('ru-RU-DmitryNeural', 'male'), V('hi-IN-SwaraNeural', 'female'),
  V('ar-SA-ZariyahNeural', 'female'), V('nl-NL-ColetteNeural', 'female'), V('pl-PL-ZofiaNeural', 'female'),
  V('tr-TR-EmelNeural', 'female'), V('vi-VN-HoaiMyNeural', 'female'), V('th-TH-PremwadeeNeural', 'female'),
];

/** The shape of every Edge voice id: language-REGION[-dialect]-NameNeural. */
export const EDGE_VOICE_ID = /^[a-z]{2,3}-[A-Z]{2,4}(-[a-z]+)?-[A-Za-z0-9]+Neural$/;

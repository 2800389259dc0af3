// A fast, local complexity classifier for model `auto`: scores the conversation on length, code,
// maths, reasoning cues and depth (English and Chinese cues) and maps the score to a class.
// Deterministic and allocation-light: it reads the last user turn closely and the rest by length.
import type { ChatMessage } from '../../shared/openai.ts';
import type { ComplexityClass } from '../../shared/routing.ts';
import { estimateTextTokens, messageText } from './token-estimate.ts';

export interface ComplexityResult {
  class: ComplexityClass;
  score: number;
  /** The cues that contributed, e.g. `code`, `math`, `reasoning`, `long`, `deep conversation`. */
  signals: string[];
}

const CODE = /```|\b(function|def|class|const|let|var|import|return|SELECT|FROM|WHERE|public static|#include)\b|=>|\{\s*\n|;\s*\n|\bstack trace\b|\bTraceback\b|代码|函数|报错/;
const MATH = /\\(frac|int|sum|sqrt|lim|begin\{)|\b(integral|derivative|equation|theorem|prove|proof|lemma|matrix|eigen\w*|probability|polynomial)\b|[∫∑√∂≤≥≠∞]|\d\s*[\^*/]\s*\d|证明|积分|导数|方程|定理|概率|矩阵/i;
const REASONING = /\b(step[- ]by[- ]step|why|explain|analy[sz]e|compare|trade-?offs?|reason(ing)?|evaluate|design|architect\w*|pros and cons|implications?|strategy|critique|plan)\b|为什么|分析|推理|比较|解释|评估|设计|权衡|逐步|一步一步/i;
const HARD = /\b(rigorous(ly)?|formal(ly)?|in depth|comprehensive|optimi[sz]e|prove that|edge cases|concurren\w*|distributed|research)\b|严格|深入|全面|优化|分布式|并发/i;
const SIMPLE = /^\s*(hi|hello|hey|thanks|thank you|ok|yes|no|你好|谢谢|好的)\b/i;

export interface ComplexityOptions {
  /** Score boundaries between simple|medium, medium|complex, complex|very-complex. */
  thresholds?: readonly [number, number, number];
}

const DEFAULT_THRESHOLDS: readonly [number, number, number] = [2, 4, 7];

export function classifyComplexity(messages: readonly ChatMessage[] | undefined, opts: ComplexityOptions = {}): ComplexityResult {
  const [t1, t2, t3] = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const signals: string[] = [];
  let score = 0;
  const list = Array.isArray(messages) ? messages : [];
  let lastUser = '';
  let totalTokens = 0;
  let userTurns = 0;
  for (const m of list) {
    const text = messageText(m);
    totalTokens += estimateTextTokens(text);
    if (m.role === 'user') { userTurns++; lastUser = text; }
  }
  const lastTokens = estimateTextTokens(lastUser);

  if (lastTokens > 1500 || totalTokens > 6000) { score += 3; signals.push('very long'); }
  else if (lastTokens > 300 || totalTokens > 1500) { score += 2; signals.push('long'); }
  else if (lastTokens > 60) { score += 1; signals.push('moderate length'); }

  if (CODE.test(lastUser)) { score += 2; signals.push('code'); }
  if (MATH.test(lastUser)) { score += 2; signals.push('math'); }
  if (REASONING.test(lastUser)) { score += 2; signals.push('reasoning'); }
  if (HARD.test(lastUser)) { score += 2; signals.push('demanding'); }
  const questions = (lastUser.match(/[?？]/g) ?? []).length;
  if (questions >= 3) { score += 1; signals.push('several questions'); }
  if (userTurns >= 8) { score += 2; signals.push('deep conversation'); }
  else if (userTurns >= 4) { score += 1; signals.push('conversation'); }
  if (score === 0 && SIMPLE.test(lastUser)) signals.push('small talk');

  const cls: ComplexityClass = score >= t3 ? 'very-complex' : score >= t2 ? 'complex' : score >= t1 ? 'medium' : 'simple';
  return { class: cls, score, signals };
}

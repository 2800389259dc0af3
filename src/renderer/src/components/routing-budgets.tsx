// Budgets with how much of each is used in its current window, their scope, period, unit and what
// happens when they run out worded in the reader's language (the engine sends its own keywords).
import type { BudgetStatusView } from '../../../shared/routing.ts';
import { budgetTone } from '../lib/routing-edit.ts';
import { formatDateTime, formatInt, formatPercent, formatUsd } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function RoutingBudgets({ budgets }: { budgets: BudgetStatusView[] }) {
  const t = useT();
  const language = useSlice(usePanel().stores.prefs, (s) => s.language);
  const amount = (b: BudgetStatusView, n: number) => (b.unit === 'usd' ? formatUsd(n) : formatInt(n, language));
  const used = (b: BudgetStatusView) => t(b.unit === 'usd' ? 'routing.budget.used' : 'routing.budget.usedTokens', { used: amount(b, b.used), limit: amount(b, b.limit), percent: formatPercent(b.fraction, 0) });
  return (
    <section className="card" aria-labelledby="routing-budgets-title">
      <h2 id="routing-budgets-title">{t('routing.budgets')}</h2>
      {!budgets.length ? <p className="empty">{t('routing.budgets.empty')}</p> : (
        <ul className="stack" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {budgets.map((b) => {
            const label = t('routing.budget.label', { scope: t(`routing.budget.scope.${b.scope}`), match: b.match, period: t(`routing.budget.period.${b.period}`) });
            const tone = budgetTone(b.fraction);
            return (
              <li key={b.id} className="meter">
                <div className="card-head">
                  <span className="strong">{label}</span>
                  <span className="num small">{used(b)}</span>
                </div>
                <div className="meter-bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, b.fraction) * 100)}>
                  <div className={`meter-fill${tone === 'ok' ? '' : ` ${tone}`}`} style={{ width: `${Math.min(100, b.fraction * 100).toFixed(1)}%` }} />
                </div>
                <div className="hint num">
                  {t('routing.budget.resets', { time: formatDateTime(b.resetsAt, language) })}
                  {/* requests on their way hold room: a refusal before the bar is full is explained */}
                  {b.reserved > 0 && <> · {t(b.unit === 'usd' ? 'routing.budget.reserved' : 'routing.budget.reservedTokens', { amount: amount(b, b.reserved) })}</>}
                  {b.level === 'exhausted' && <> · <span className="error-text">{t('routing.budget.exhausted', { action: t(`routing.budget.onExhausted.${b.onExhausted}`) })}</span></>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

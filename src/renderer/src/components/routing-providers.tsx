// Providers as routing sees them: breaker state (live from `breaker` events), recent errors, latency.
import type { ProviderHealth } from '../../../shared/routing.ts';
import type { MessageKey } from '../i18n/en.ts';
import { providerLabel } from '../lib/builtin-text.ts';
import { formatMs, formatPercent } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function RoutingProviders({ health, onChanged }: { health: ProviderHealth[]; onChanged(): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const live = useSlice(stores.routing, (s) => s.breakers);
  const push = stores.toasts.getState().push;
  const stateOf = (h: ProviderHealth) => {
    // A breaker event newer than the last load wins.
    const states = h.breakers.map((b) => live[b.target]?.state ?? b.state);
    return states.includes('open') ? 'open' : states.includes('half-open') ? 'half-open' : h.breakers.length ? 'closed' : h.state;
  };
  const reset = async (h: ProviderHealth) => {
    try {
      for (const b of h.breakers) await client.call('routingBreakerReset', { body: { target: b.target } });
      push('success', t('routing.resetDone'));
      onChanged();
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };
  return (
    <section className="card" aria-labelledby="routing-providers-title">
      <h2 id="routing-providers-title">{t('routing.providers')}</h2>
      <div className="table-wrap">
        <table className="table table-reflow" aria-label={t('routing.providers')}>
          <thead>
            <tr>
              <th scope="col">{t('routing.col.provider')}</th>
              <th scope="col">{t('routing.col.state')}</th>
              <th scope="col" className="r">{t('routing.col.errors')}</th>
              <th scope="col" className="r">{t('routing.col.latency')}</th>
              <th scope="col">{t('routing.col.enabled')}</th>
              <th scope="col"><span className="sr-only">{t('alerts.col.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {health.map((h) => {
              const state = stateOf(h);
              return (
                <tr key={h.provider}>
                  <td className="cell-main"><div className="strong">{h.provider}</div>{h.label !== h.provider && <div className="hint">{providerLabel(t, h)}</div>}</td>
                  <td><span className={`strong nowrap state-${state}`}>● {t(`routing.state.${state}` as MessageKey)}</span></td>
                  <td className="r num" data-label={t('routing.col.errors')}>{h.recentErrors}/{h.recentAttempts} ({formatPercent(h.recentAttempts ? h.errorRate : null)})</td>
                  <td className="r num" data-label={t('routing.col.latency')}>{formatMs(h.latencyMs)}</td>
                  <td data-label={t('routing.col.enabled')}>{h.enabled ? t('common.yes') : t('common.no')}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" disabled={state === 'closed'} aria-label={t('routing.resetBreakers', { provider: h.provider })} onClick={() => void reset(h)}>{t('routing.reset')}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

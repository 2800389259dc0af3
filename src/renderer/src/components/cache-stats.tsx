// Cache statistics: overall tiles, then one card per tier with its fill level and counters.
import type { CacheStatsView, CacheTierStatsView } from '../../../shared/cache.ts';
import { formatBytes, formatInt, formatMs, formatPercent, formatUsd } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { StatTile } from './stat-tile.tsx';

function Meter({ label, used, max }: { label: string; used: number; max: number }) {
  const ratio = max > 0 ? Math.min(1, used / max) : 0;
  const tone = ratio > 0.95 ? ' bad' : ratio > 0.8 ? ' warn' : '';
  return (
    <div className="meter">
      <div className="meter-bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={used}>
        <div className={`meter-fill${tone}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}

function TierCard({ tier }: { tier: CacheTierStatsView }) {
  const t = useT();
  const language = useSlice(usePanel().stores.prefs, (s) => s.language);
  const title = t(tier.tier === 'memory' ? 'cache.tier.memory' : 'cache.tier.disk');
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      <div>
        <div className="hint num">{t('cache.tier.size')}: {t('cache.tier.sizeOf', { used: formatBytes(tier.bytes), max: formatBytes(tier.maxBytes) })}</div>
        <Meter label={`${title} ${t('cache.tier.size')}`} used={tier.bytes} max={tier.maxBytes} />
      </div>
      <dl className="kv">
        <dt>{t('cache.tier.entries')}</dt><dd className="num" data-testid={`${tier.tier}-entries`}>{formatInt(tier.entries, language)}</dd>
        <dt>{t('cache.tier.hits')}</dt><dd className="num">{formatInt(tier.hits, language)}</dd>
        <dt>{t('cache.tier.misses')}</dt><dd className="num">{formatInt(tier.misses, language)}</dd>
        <dt>{t('cache.tier.hitRate')}</dt><dd className="num">{formatPercent(tier.hits + tier.misses ? tier.hitRate : null)}</dd>
        <dt>{t('cache.tier.evictions')}</dt><dd className="num">{formatInt(tier.evictions, language)}</dd>
        <dt>{t('cache.tier.expired')}</dt><dd className="num">{formatInt(tier.expired, language)}</dd>
        {tier.corrupt > 0 && <><dt>{t('cache.tier.corrupt')}</dt><dd className="num error-text">{formatInt(tier.corrupt, language)}</dd></>}
        <dt>{t('cache.tier.saved')}</dt>
        <dd className="num">{t('cache.tier.savedValue', { usd: formatUsd(tier.saved.costUsd), tokens: formatInt(tier.saved.tokens, language), time: formatMs(tier.saved.latencyMs) })}</dd>
      </dl>
    </section>
  );
}

export function CacheStats({ stats }: { stats: CacheStatsView }) {
  const t = useT();
  const language = useSlice(usePanel().stores.prefs, (s) => s.language);
  return (
    <>
      {!stats.enabled && <p className="banner banner-error" role="status">{t('cache.disabled')}</p>}
      <section className="tiles" aria-label={t('cache.overall')}>
        <StatTile label={t('cache.tile.hitRate')} value={formatPercent(stats.hits + stats.misses ? stats.hitRate : null)} tone={stats.hitRate ? 'good' : undefined} />
        <StatTile label={t('cache.tile.hits')} value={formatInt(stats.hits, language)} />
        <StatTile label={t('cache.tile.misses')} value={formatInt(stats.misses, language)} />
        <StatTile label={t('cache.tile.coalesced')} value={formatInt(stats.coalesced, language)} />
        <StatTile label={t('cache.tile.stale')} value={formatInt(stats.staleServed, language)} />
        <StatTile label={t('cache.tile.savedUsd')} value={formatUsd(stats.saved.costUsd)} tone={stats.saved.costUsd ? 'good' : undefined} />
        <StatTile label={t('cache.tile.savedTokens')} value={formatInt(stats.saved.tokens, language)} />
      </section>
      <p className="hint">{t('cache.tile.counting', { semantic: formatInt(stats.semanticHits, language) })}</p>
      <div className="tier-grid">
        <TierCard tier={stats.memory} />
        {stats.disk ? <TierCard tier={stats.disk} /> : (
          <section className="card" aria-label={t('cache.tier.disk')}><h3>{t('cache.tier.disk')}</h3><p className="hint">{t('cache.tier.off')}</p></section>
        )}
      </div>
      {stats.rebuilds > 0 && <p className="hint">{t('cache.rebuilds', { count: stats.rebuilds })}</p>}
    </>
  );
}

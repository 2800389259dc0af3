// Left navigation: one link per page; the current one is marked for assistive technology.
import type { MessageKey } from '../i18n/en.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export const PAGES = ['dashboard', 'requests', 'cache', 'routing', 'alerts', 'loadtest', 'settings'] as const;
export type PageId = (typeof PAGES)[number];

const ICONS: Record<PageId, string> = {
  dashboard: 'M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z',
  requests: 'M4 6h16M4 12h16M4 18h10',
  cache: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  routing: 'M6 3v12a3 3 0 0 0 3 3h9m0 0-3-3m3 3-3 3M6 3 3 6m3-3 3 3',
  alerts: 'M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 16a2 2 0 0 0 4 0',
  loadtest: 'M13 2 4 14h7l-1 8 9-12h-7l1-8z',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14.5 3h-4l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2l.4 2.6h4l.4-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
};

export function Nav({ current }: { current: PageId | null }) {
  const t = useT();
  const unacknowledged = useSlice(usePanel().stores.alerts, (s) => s.unacknowledged);
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <div className="nav-brand">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <rect x="2" y="2" width="28" height="28" rx="8" fill="var(--accent)" />
          <path d="M9 11h14M9 16h10M9 21h6" stroke="var(--accent-contrast)" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
        <div>
          <div className="nav-title">{t('app.name')}</div>
          <div className="nav-tagline">{t('app.tagline')}</div>
        </div>
      </div>
      <ul className="nav-list">
        {PAGES.map((p) => (
          <li key={p}>
            <a href={`#/${p}`} className="nav-link" title={t(`nav.${p}` as MessageKey)} aria-current={p === current ? 'page' : undefined}>
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" className="nav-icon">
                <path d={ICONS[p]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              <span>{t(`nav.${p}` as MessageKey)}</span>
              {p === 'alerts' && unacknowledged > 0 && <small className="nav-badge num" aria-label={t('alerts.badge', { count: unacknowledged })}>{unacknowledged > 99 ? '99+' : unacknowledged}</small>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// Shown while the engine cannot be reached: what happens next, and a Retry button.
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { useNow } from './use-now.ts';

export function ConnectionBanner() {
  const t = useT();
  const { stores, stream } = usePanel();
  const status = useSlice(stores.connection, (s) => s.stream);
  const now = useNow(500);
  if (status.state === 'unauthorized') {
    return (
      <div className="banner banner-error" role="alert">
        <strong>{t('conn.banner.title')}</strong> <span>{t('conn.banner.unauthorized')}</span>
      </div>
    );
  }
  if (status.state !== 'retrying') return null;
  const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
  return (
    <div className="banner banner-error" role="alert">
      <div>
        <strong>{t('conn.banner.title')}</strong>{' '}
        <span>{t('conn.banner.body', { seconds, attempt: status.attempt })}</span>
        <div className="banner-detail">{status.error}</div>
      </div>
      <button type="button" className="btn" onClick={() => stream.retryNow()}>{t('conn.retry')}</button>
    </div>
  );
}

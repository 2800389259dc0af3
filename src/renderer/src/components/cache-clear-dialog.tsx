// Clear the cache: everything, one model, one namespace or entries past an age. The dialog says how
// many entries the clear would delete (the preview route) before anything is deleted.
import { useEffect, useState } from 'react';
import type { CacheClearPreview } from '../../../shared/cache.ts';
import { clearChoiceProblem, clearRequest, MAX_CLEAR_HOURS, type ClearChoice, type ClearScope } from '../lib/cache-query.ts';
import { formatBytes } from '../lib/format.ts';
import type { MessageKey } from '../i18n/en.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Modal } from './modal.tsx';

const SCOPES: Array<[ClearScope, MessageKey]> = [['all', 'cache.clear.all'], ['model', 'cache.clear.byModel'], ['namespace', 'cache.clear.byNamespace'], ['age', 'cache.clear.byAge']];

export function CacheClearDialog({ onClose, onCleared }: { onClose(): void; onCleared(): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const models = useSlice(stores.settings, (s) => s.models);
  const push = stores.toasts.getState().push;
  const [choice, setChoice] = useState<ClearChoice>({ scope: 'all', model: '', namespace: '', hours: '24' });
  const [preview, setPreview] = useState<CacheClearPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const request = clearRequest(choice);
  const requestKey = JSON.stringify(request);

  useEffect(() => {
    setPreview(null);
    setPreviewError(null);
    if (!request) return;
    const abort = new AbortController();
    const h = setTimeout(() => {
      client.call('cacheClearPreview', { body: request, signal: abort.signal }).then(setPreview, (err: Error) => {
        if (!abort.signal.aborted) setPreviewError(err.message);
      });
    }, 200);
    return () => { clearTimeout(h); abort.abort(); };
  }, [client, requestKey]);

  const run = async () => {
    if (!request) return;
    setRunning(true);
    try {
      const r = await client.call('cacheClear', { body: request });
      push('success', t('cache.cleared', { count: r.deleted, memory: r.memory, disk: r.disk }));
      onCleared();
      onClose();
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
      setRunning(false);
    }
  };

  const set = (k: keyof ClearChoice) => (e: { target: { value: string } }) => setChoice((c) => ({ ...c, [k]: e.target.value }));
  const summary = !request ? t(clearChoiceProblem(choice) === 'badHours' ? 'cache.clear.badHours' : 'cache.clear.needValue', { max: MAX_CLEAR_HOURS })
    : previewError ? t('common.error', { message: previewError })
      : !preview ? t('cache.clear.counting')
        : preview.count === 0 ? t('cache.clear.nothing')
          : preview.bytes === null ? t('cache.clear.previewNoSize', { count: preview.count })
            : t('cache.clear.preview', { count: preview.count, size: formatBytes(preview.bytes) });

  return (
    <Modal
      title={t('cache.clear.title')}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn" autoFocus onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-danger" disabled={running || !preview || preview.count === 0} aria-busy={running} onClick={() => void run()}>
            {running ? t('cache.clear.running') : t('cache.clear.confirm', { count: preview?.count ?? 0 })}
          </button>
        </>
      )}
    >
      <div className="form-stack">
        <fieldset className="field">
          <legend>{t('cache.clear.scope')}</legend>
          <div className="radio-row">
            {SCOPES.map(([s, key]) => (
              <label key={s}><input type="radio" name="clear-scope" checked={choice.scope === s} onChange={() => setChoice((c) => ({ ...c, scope: s }))} /> <span>{t(key)}</span></label>
            ))}
          </div>
        </fieldset>
        {choice.scope === 'model' && (
          <label className="field">
            <span>{t('cache.filter.model')}</span>
            <input value={choice.model} onChange={set('model')} list="clear-models" autoComplete="off" />
            <datalist id="clear-models">{models.map((m) => <option key={`${m.provider}/${m.id}`} value={m.id} />)}</datalist>
          </label>
        )}
        {choice.scope === 'namespace' && (
          <label className="field"><span>{t('cache.filter.namespace')}</span><input value={choice.namespace} onChange={set('namespace')} autoComplete="off" /></label>
        )}
        {choice.scope === 'age' && (
          <label className="field"><span>{t('cache.clear.hours')}</span><input type="number" min={0} step="any" inputMode="decimal" value={choice.hours} onChange={set('hours')} /></label>
        )}
        <p role="status" aria-live="polite" className={preview?.count ? 'strong' : 'hint'}>{summary}</p>
        {running && <progress aria-label={t('cache.clear.running')} />}
      </div>
    </Modal>
  );
}

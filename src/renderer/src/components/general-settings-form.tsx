// General settings: body logging, log size, cache on/off, TTL, mode, sizes, serve stale.
import { useEffect, useState } from 'react';
import type { GeneralSettings } from '../../../shared/admin/core-routes.ts';
import { rebaseDraft } from '../lib/draft-rebase.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Switch } from './switch.tsx';

const MIB = 1024 * 1024;

export function GeneralSettingsForm() {
  const t = useT();
  const { client, stores } = usePanel();
  const general = useSlice(stores.settings, (s) => s.general);
  const revision = useSlice(stores.settings, (s) => s.revision.settings ?? 0);
  const [draft, setDraft] = useState<GeneralSettings | null>(general);
  const [busy, setBusy] = useState(false);
  const push = stores.toasts.getState().push;

  // what the server held when the draft was last rebased: fields that still match it are untouched
  const [base, setBase] = useState<GeneralSettings | null>(general);
  const adopt = (server: GeneralSettings, whole = false) => {
    stores.settings.getState().setGeneral(server);
    setDraft((d) => (whole ? server : rebaseDraft(d, base, server)));
    setBase(server);
  };

  useEffect(() => {
    client.call('settingsGet').then((g) => adopt(g), (err: Error) => push('error', t('common.error', { message: err.message })));
  }, [client, stores, revision]);

  if (!draft) return <p aria-busy="true">{t('common.loading')}</p>;
  const num = (k: keyof GeneralSettings, scale = 1) => ({
    value: String(Math.round((draft[k] as number) / scale)),
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [k]: Math.round(Number(e.target.value) * scale) }),
  });
  /** A switch saves its own field at once and keeps the other fields' unsaved edits; the form's button saves them all. */
  const save = async (next: Partial<GeneralSettings>, whole = false) => {
    setBusy(true);
    try {
      const saved = await client.call('settingsSave', { body: next });
      adopt(saved, whole);
      push('success', t('set.saved'));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form-grid" onSubmit={(e) => { e.preventDefault(); void save(draft, true); }}>
      <div className="span-all">
        <Switch label={t('set.logBodies')} hint={t('set.logBodies.hint')} checked={draft.logBodies} disabled={busy} onChange={(v) => { setDraft({ ...draft, logBodies: v }); void save({ logBodies: v }); }} />
      </div>
      <div className="span-all">
        <Switch label={t('set.cacheEnabled')} checked={draft.cacheEnabled} disabled={busy} onChange={(v) => { setDraft({ ...draft, cacheEnabled: v }); void save({ cacheEnabled: v }); }} />
      </div>
      <div className="span-all">
        <Switch label={t('set.serveStale')} checked={draft.serveStale} disabled={busy} onChange={(v) => { setDraft({ ...draft, serveStale: v }); void save({ serveStale: v }); }} />
      </div>
      <label className="field">
        <span>{t('set.cacheMode')}</span>
        <select value={draft.cacheMode} onChange={(e) => setDraft({ ...draft, cacheMode: e.target.value as GeneralSettings['cacheMode'] })}>
          <option value="deterministic">{t('set.cacheMode.deterministic')}</option>
          <option value="all">{t('set.cacheMode.all')}</option>
        </select>
      </label>
      <label className="field"><span>{t('set.cacheTtl')}</span><input type="number" min={0} inputMode="numeric" {...num('cacheTtlSeconds')} /></label>
      <label className="field"><span>{t('set.cacheMemory')}</span><input type="number" min={0} inputMode="numeric" {...num('cacheMemoryMaxBytes', MIB)} /></label>
      <label className="field"><span>{t('set.cacheDisk')}</span><input type="number" min={0} inputMode="numeric" {...num('cacheDiskMaxBytes', MIB)} /></label>
      <p className="hint span-all">{t('set.cacheSizeHint')}</p>
      <label className="field"><span>{t('set.logMaxRows')}</span><input type="number" min={100} inputMode="numeric" {...num('logMaxRows')} /></label>
      <div className="form-actions span-all">
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('set.saveGeneral')}</button>
      </div>
    </form>
  );
}

// General settings: body logging, log size, cache on/off, TTL, mode, sizes, serve stale.
import { useEffect, useState } from 'react';
import type { GeneralSettings } from '../../../shared/admin/core-routes.ts';
import { rebaseDraft } from '../lib/draft-rebase.ts';
import { changedSettings, settingsProblems, settingText, settingValue, takesFraction, type NumberSetting, type SettingProblem } from '../lib/settings-form.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';
import { Switch } from './switch.tsx';

export function GeneralSettingsForm() {
  const t = useT();
  const { client, stores } = usePanel();
  const general = useSlice(stores.settings, (s) => s.general);
  const revision = useSlice(stores.settings, (s) => s.revision.settings ?? 0);
  const [draft, setDraft] = useState<GeneralSettings | null>(general);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<SettingProblem[]>([]);
  /** What was typed in each number field, kept as typed ("1.50", "1.") while it stands for the draft's value. */
  const [typed, setTyped] = useState<Partial<Record<NumberSetting, string>>>({});
  const push = stores.toasts.getState().push;

  // the store holds what the server held until now: draft fields that still match it are untouched
  const adopt = (server: GeneralSettings, whole = false) => {
    const before = stores.settings.getState().general;
    stores.settings.getState().setGeneral(server);
    setDraft((d) => (whole ? server : rebaseDraft(d, before, server)));
  };

  useEffect(() => {
    client.call('settingsGet').then((g) => adopt(g), (err: Error) => push('error', t('common.error', { message: err.message })));
  }, [client, stores, revision]);

  if (!draft) return <p aria-busy="true">{t('common.loading')}</p>;
  const problemOf = (k: keyof GeneralSettings) => problems.find((p) => p.field === k);
  const num = (k: NumberSetting) => {
    const text = typed[k];
    return {
      inputMode: takesFraction(k) ? 'decimal' as const : 'numeric' as const, step: takesFraction(k) ? 'any' : undefined,
      // the stored value exactly (1.5 MiB, not 2), so that saving the form as it stands changes nothing
      value: text !== undefined && Object.is(settingValue(k, text), draft[k]) ? text : settingText(k, draft[k]),
      onChange: (e: { target: { value: string } }) => {
        setTyped((prev) => ({ ...prev, [k]: e.target.value }));
        setDraft({ ...draft, [k]: settingValue(k, e.target.value) });
        setProblems((ps) => ps.filter((p) => p.field !== k));
      },
    };
  };
  const errorOf = (k: NumberSetting) => {
    const p = problemOf(k);
    return p ? t(p.whole ? 'set.outOfRange' : 'set.outOfRange.size', { min: p.min, max: p.max }) : null;
  };
  const submit = () => {
    const found = settingsProblems(draft);
    setProblems(found);
    // only what the form changed: a field sent is saved and wins over the config file from then on
    if (found.length === 0) void save(changedSettings(draft, stores.settings.getState().general), true);
  };
  /** A switch saves its own field at once and keeps the other fields' unsaved edits; the form's button saves the fields changed. */
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
    <form className="form-grid" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="span-all">
        <Switch label={t('set.logBodies')} hint={t('set.logBodies.hint')} checked={draft.logBodies} disabled={busy} onChange={(v) => { setDraft({ ...draft, logBodies: v }); void save({ logBodies: v }); }} />
      </div>
      <div className="span-all">
        <Switch label={t('set.cacheEnabled')} checked={draft.cacheEnabled} disabled={busy} onChange={(v) => { setDraft({ ...draft, cacheEnabled: v }); void save({ cacheEnabled: v }); }} />
      </div>
      <div className="span-all">
        <Switch label={t('set.serveStale')} checked={draft.serveStale} disabled={busy} onChange={(v) => { setDraft({ ...draft, serveStale: v }); void save({ serveStale: v }); }} />
      </div>
      <Field label={t('set.cacheMode')}>
        {(a) => (
          <select {...a} value={draft.cacheMode} onChange={(e) => setDraft({ ...draft, cacheMode: e.target.value as GeneralSettings['cacheMode'] })}>
            <option value="deterministic">{t('set.cacheMode.deterministic')}</option>
            <option value="all">{t('set.cacheMode.all')}</option>
          </select>
        )}
      </Field>
      <Field label={t('set.cacheTtl')} error={errorOf('cacheTtlSeconds')}>{(a) => <input {...a} type="number" min={0} {...num('cacheTtlSeconds')} />}</Field>
      <Field label={t('set.cacheMemory')} error={errorOf('cacheMemoryMaxBytes')}>{(a) => <input {...a} type="number" min={0} {...num('cacheMemoryMaxBytes')} />}</Field>
      <Field label={t('set.cacheDisk')} error={errorOf('cacheDiskMaxBytes')}>{(a) => <input {...a} type="number" min={0} {...num('cacheDiskMaxBytes')} />}</Field>
      <p className="hint span-all">{t('set.cacheSizeHint')}</p>
      <Field label={t('set.logMaxRows')} error={errorOf('logMaxRows')}>{(a) => <input {...a} type="number" min={100} {...num('logMaxRows')} />}</Field>
      <div className="form-actions span-all">
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('set.saveGeneral')}</button>
      </div>
    </form>
  );
}

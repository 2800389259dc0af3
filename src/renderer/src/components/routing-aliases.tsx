// Aliases with a one-click switch: pick a model the engine serves, apply, the next request follows. An
// alias with fallbacks asks first whether the choice replaces only its first target or all of them.
import { useEffect, useRef, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { AliasConfig } from '../../../shared/routing.ts';
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import type { Target } from '../../../shared/targets.ts';
import { aliasDescription } from '../lib/builtin-text.ts';
import { endpointOfTargets, targetOptions } from '../lib/model-options.ts';
import { parseTarget, targetText } from '../lib/routing-edit.ts';
import { AliasSwitchDialog } from './alias-switch-dialog.tsx';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

function AliasRow({ alias, models, onSaved }: { alias: AliasConfig; models: readonly ModelView[]; onSaved(doc: RoutingDocumentView): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const current = alias.targets.map(targetText);
  // a chat alias is offered chat models: switching it to a speech model would break every request to it
  const options = targetOptions(models, endpointOfTargets(models, current));
  const [choice, setChoice] = useState(current[0] ?? options[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  // the alias changed elsewhere (another window, the API): a choice not yet made follows it, one made stays
  const shownTargets = useRef(current.join(','));
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const targetsKey = current.join(',');
  useEffect(() => {
    const before = shownTargets.current.split(',');
    shownTargets.current = targetsKey;
    if (before.join(',') === targetsKey) return;
    if (choice === (before[0] ?? '')) setChoice(current[0] ?? options[0] ?? '');
    else setChangedElsewhere(true);
  }, [targetsKey]);
  const switchTo = async (next: string[]) => {
    const targets = next.map(parseTarget).filter((x): x is Target => x !== null);
    if (!targets.length || targets.length !== next.length) return;
    setBusy(true);
    try {
      const doc = await client.call('routingAliasSet', { params: { name: alias.name }, body: { targets } });
      // this window's own switch: not a change made elsewhere
      shownTargets.current = next.join(',');
      setChangedElsewhere(false);
      push('success', t('routing.switched', { name: alias.name, target: next.join(' → ') }));
      onSaved(doc);
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const apply = () => (current.length > 1 ? setAsking(true) : void switchTo([choice]));
  const list = options.includes(choice) || !choice ? options : [choice, ...options];
  const description = aliasDescription(t, alias);
  return (
    <tr>
      <th scope="row" className="mono cell-main">{alias.name}{description && <div className="hint">{description}</div>}</th>
      <td className="mono small" data-label={t('routing.col.targets')}>{current.join(' → ') || '—'}{alias.strategy && alias.strategy !== 'fallback' && <span className="chip">{alias.strategy}</span>}</td>
      <td className="cell-wide">
        <div className="inline-form">
          <select aria-label={t('routing.switchLabel', { name: alias.name })} value={choice} onChange={(e) => { setChoice(e.target.value); setChangedElsewhere(false); }}>
            {list.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
          <button type="button" className="btn btn-primary btn-small" disabled={busy || !choice || (current.length === 1 && current[0] === choice)} aria-busy={busy}
            aria-label={t('routing.applyLabel', { name: alias.name })} onClick={apply}>{t('routing.apply')}</button>
        </div>
        {changedElsewhere && <p className="hint" role="status">{t('routing.alias.changedElsewhere', { name: alias.name })}</p>}
        {asking && <AliasSwitchDialog name={alias.name} current={current} choice={choice} onConfirm={switchTo} onClose={() => setAsking(false)} />}
      </td>
    </tr>
  );
}

export function RoutingAliases({ doc, onSaved }: { doc: RoutingDocumentView; onSaved(doc: RoutingDocumentView): void }) {
  const t = useT();
  const models = useSlice(usePanel().stores.settings, (s) => s.models);
  const aliases = doc.effective.aliases;
  return (
    <section className="card" aria-labelledby="routing-aliases-title">
      <div>
        <h2 id="routing-aliases-title">{t('routing.aliases')}</h2>
        <p className="hint">{t('routing.aliases.hint')}</p>
      </div>
      {!aliases.length ? <p className="empty">{t('routing.aliases.empty')}</p> : (
        <div className="table-wrap">
          <table className="table table-reflow" aria-label={t('routing.aliases')}>
            <thead><tr><th scope="col">{t('routing.col.alias')}</th><th scope="col">{t('routing.col.targets')}</th><th scope="col">{t('routing.col.switch')}</th></tr></thead>
            <tbody>{aliases.map((a) => <AliasRow key={a.name} alias={a} models={models} onSaved={onSaved} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Import of a routing file: the file is read first, and the person asked, with what it replaces (rules,
// aliases and budgets now → in the file), since it changes where live traffic goes at once. A file the
// panel or the engine refuses changes nothing; its problems are listed with their paths, in the reader's language.
import { useRef, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { RoutingExport } from '../../../shared/routing.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { jsonWhereText, parseJson } from '../lib/json-syntax.ts';
import { importProblems, readImport, routingCounts, type ImportProblem, type RoutingCounts } from '../lib/routing-import.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { Modal } from './modal.tsx';

interface Pending { file: string; value: unknown; counts: RoutingCounts }

export function RoutingImport({ doc, onImported }: { doc: RoutingDocumentView; onImported(doc: RoutingDocumentView): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const fileRef = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [refused, setRefused] = useState<ImportProblem[] | null>(null);

  const pick = async (file: File) => {
    try {
      const parsed = parseJson(await file.text());
      if (!parsed.ok) {
        setRefused([{ path: '', text: { key: 'routing.import.badJson', params: { where: jsonWhereText(t, parsed.error) } } }]);
        return;
      }
      const read = readImport(parsed.value);
      if (!read.ok) {
        setRefused([{ path: '', text: { key: `routing.import.problem.${read.problem}` } }]);
        return;
      }
      setPending({ file: file.name, value: parsed.value, counts: read.counts });
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };
  const apply = async (value: unknown) => {
    try {
      onImported(await client.call('routingImport', { body: value as RoutingExport }));
      push('success', t('routing.imported'));
    } catch (err) {
      const e = err as Error;
      setRefused(err instanceof AdminApiError ? importProblems(e.message, err.param, err.issues) : importProblems(e.message, null));
    }
  };
  const now = routingCounts(doc.config as unknown as Record<string, unknown>);
  const problemText = (p: ImportProblem) => ('key' in p.text ? t(p.text.key, p.text.params) : p.text.message);

  return (
    <>
      <button type="button" className="btn" onClick={() => fileRef.current?.click()}>{t('routing.import')}</button>
      <input ref={fileRef} type="file" accept="application/json,.json" hidden aria-label={t('routing.import')}
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void pick(f); }} />
      {pending && (
        <ConfirmDialog
          title={t('routing.import.confirmTitle', { file: pending.file })}
          body={t('routing.import.confirmBody', {
            rulesNow: now.rules, rules: pending.counts.rules, aliasesNow: now.aliases, aliases: pending.counts.aliases,
            budgetsNow: now.budgets, budgets: pending.counts.budgets,
          })}
          confirmLabel={t('routing.import.confirm')}
          onClose={() => setPending(null)}
          onConfirm={() => apply(pending.value)}
        />
      )}
      {refused && (
        <Modal title={t('routing.import.refusedTitle')} onClose={() => setRefused(null)}
          footer={<button type="button" className="btn" autoFocus onClick={() => setRefused(null)}>{t('common.close')}</button>}>
          <p>{t('routing.import.refusedBody')}</p>
          <ul aria-label={t('routing.import.refusedTitle')}>
            {refused.map((p, i) => <li key={i}>{p.path && <><span className="mono">{p.path}</span>: </>}{problemText(p)}</li>)}
          </ul>
        </Modal>
      )}
    </>
  );
}

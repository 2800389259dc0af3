// A table of alerts: severity, what fired and its figures, when; open ones can be acknowledged.
import type { Alert } from '../../../shared/alerts.ts';
import type { MessageKey } from '../i18n/en.ts';
import { figureLabel, formatFigure, shownFigures } from '../lib/alert-figures.ts';
import { alertText, kindLabel } from '../lib/alert-text.ts';
import { formatDateTime } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function AlertsTable({ alerts, label, resolved, onAcknowledge }: { alerts: Alert[]; label: string; resolved?: boolean; onAcknowledge?(a: Alert): void }) {
  const t = useT();
  const language = useSlice(usePanel().stores.prefs, (s) => s.language);
  return (
    <div className="table-wrap">
      <table className="table table-reflow" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{t('alerts.col.severity')}</th>
            <th scope="col">{t('alerts.col.alert')}</th>
            <th scope="col">{t('alerts.col.opened')}</th>
            <th scope="col">{t(resolved ? 'alerts.col.resolved' : 'alerts.col.updated')}</th>
            <th scope="col" className="r">{t('alerts.col.count')}</th>
            {!resolved && <th scope="col"><span className="sr-only">{t('alerts.col.actions')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const text = alertText(t, a, language);
            return (
              <tr key={a.id}>
                <td><span className={`sev sev-${a.severity}`}>{t(`alerts.severity.${a.severity}` as MessageKey)}</span></td>
                <td className="cell-main">
                  <div className="strong">{text.title}</div>
                  <div className="small">{text.message}</div>
                  <div className="figures" aria-label={t('alerts.col.figures')}>
                    <span className="chip">{kindLabel(t, a.kind)}</span>
                    {shownFigures(a.figures).map(([k, v]) => <span key={k}>{t('alerts.figureText', { label: figureLabel(t, k), value: formatFigure(k, v, language, t) })}</span>)}
                  </div>
                </td>
                <td className="num" data-label={t('alerts.col.opened')}>{formatDateTime(a.openedAt, language)}</td>
                <td className="num" data-label={t(resolved ? 'alerts.col.resolved' : 'alerts.col.updated')}>{formatDateTime(resolved && a.resolvedAt ? a.resolvedAt : a.updatedAt, language)}</td>
                <td className="r num" data-label={t('alerts.col.count')}>{a.occurrences}</td>
                {!resolved && (
                  <td className="actions">
                    {a.acknowledgedAt !== null
                      ? <span className="hint acked">{t('alerts.acked', { time: formatDateTime(a.acknowledgedAt, language) })}</span>
                      : <button type="button" className="btn btn-small" aria-label={t('alerts.ackLabel', { title: text.title })} onClick={() => onAcknowledge?.(a)}>{t('alerts.ack')}</button>}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

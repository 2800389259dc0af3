import { describe, it, expect } from 'vitest';
import type { Alert } from '../../shared/alerts.ts';
import { DEFAULT_ALERT_NOTIFICATIONS } from '../../shared/alerts.ts';
import { ManualClock } from '../clock.ts';
import { AlertNotifications } from './alert-notifications.ts';

const alert = (severity: Alert['severity']): Alert => ({
  id: `a-${severity}`, kind: 'rule', key: 'k', severity, title: 't', message: 'm', figures: {},
  openedAt: 0, updatedAt: 0, resolvedAt: null, acknowledgedAt: null, occurrences: 1,
});

function rig(settings = {}) {
  const sent: Array<{ url: string; body: any }> = [];
  const n = new AlertNotifications({
    clock: new ManualClock(), settings: { ...DEFAULT_ALERT_NOTIFICATIONS, webhookUrl: 'http://hook.test/a', ...settings },
    fetch: async (url, init) => { sent.push({ url, body: JSON.parse(init.body) }); return { status: 200 }; },
  });
  return { n, sent };
}

describe('AlertNotifications', () => {
  it('asks for a desktop notification only when desktop notifications are on and the alert is severe enough', () => {
    const { n } = rig({ minSeverity: 'warning', desktop: true });
    expect([n.wantsDesktop(alert('info')), n.wantsDesktop(alert('warning')), n.wantsDesktop(alert('critical'))]).toEqual([false, true, true]);
    n.update({ ...n.settings, desktop: false });
    expect(n.wantsDesktop(alert('critical'))).toBe(false);
  });

  it('sends opened alerts at or above the minimum severity, never updates', async () => {
    const { n, sent } = rig({ minSeverity: 'warning' });
    n.notify('opened', alert('info'));
    n.notify('opened', alert('critical'));
    n.notify('updated', alert('critical'));
    await n.webhook!.idle();
    expect(sent.map((s) => `${s.body.action}:${s.body.alert.severity}`)).toEqual(['opened:critical']);
  });

  it('sends resolved and acknowledged only when asked, and follows a changed URL', async () => {
    const { n, sent } = rig({ notifyResolved: false });
    n.notify('resolved', alert('critical'));
    await n.webhook!.idle();
    expect(sent).toEqual([]);
    n.update({ ...n.settings, notifyResolved: true, webhookUrl: 'http://hook.test/b' });
    n.notify('resolved', alert('critical'));
    await n.webhook!.idle();
    expect(sent.map((s) => s.url)).toEqual(['http://hook.test/b']);
    n.update({ ...n.settings, webhookUrl: null });
    expect(n.webhook).toBeNull();
    expect(n.test(alert('info'))).toBe(false);
    n.close();
  });
});

import { describe, expect, it } from 'vitest';
import type { Alert } from '../shared/alerts.ts';
import { alertNotification } from './alert-notification.ts';

const full: Alert = {
  id: 'storage-1', kind: 'storage', key: 'requests.db', severity: 'critical', title: "The disk holding Sluice's data is full",
  message: 'Writes to the request log (requests.db) are failing; …', figures: { error: 'SQLITE_FULL' },
  openedAt: 0, updatedAt: 0, resolvedAt: null, acknowledgedAt: null, occurrences: 1,
};

describe('alertNotification', () => {
  it('words the alert in the first system language the panel speaks', () => {
    expect(alertNotification(full, ['zh-Hans-CN', 'en-US']).title).toBe('Sluice: Sluice 数据所在的磁盘已满');
    expect(alertNotification(full, ['zh-Hans-CN']).body).toContain('requests.db');
    expect(alertNotification(full, ['fr-FR', 'en-GB', 'zh-CN'])).toEqual({
      title: "Sluice: The disk holding Sluice's data is full",
      body: 'Writes to the request log (requests.db) are failing; requests are still proxied, and new log rows wait in memory (bounded) until writes succeed again. Free space on the disk that holds Sluice’s data folder.',
    });
  });

  it('falls back to English, and to the engine\'s own words for a kind the panel does not know', () => {
    expect(alertNotification(full, []).title).toBe("Sluice: The disk holding Sluice's data is full");
    const odd = { ...full, kind: 'something-new', title: 'Engine title', message: 'Engine message' };
    expect(alertNotification(odd, ['zh-CN'])).toEqual({ title: 'Sluice: Engine title', body: 'Engine message' });
  });
});

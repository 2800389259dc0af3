import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig } from '../../shared/routing.ts';
import { routingFromImport } from './routing-admin.ts';

describe('routingFromImport', () => {
  it('takes the routing document out of an export file, or a bare document as it is', () => {
    const doc = defaultRoutingConfig();
    expect(routingFromImport({ format: 'sluice-routing', version: 1, exportedAt: 0, routing: doc })).toBe(doc);
    expect(routingFromImport(doc)).toBe(doc);
  });

  it('refuses another format or version with a 400 naming the field', () => {
    expect(() => routingFromImport({ format: 'other', routing: {} })).toThrow(expect.objectContaining({ status: 400, param: 'format' }));
    expect(() => routingFromImport({ format: 'sluice-routing', version: 2, routing: {} })).toThrow(expect.objectContaining({ status: 400, param: 'version' }));
  });
});

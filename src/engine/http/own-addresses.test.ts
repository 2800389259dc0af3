import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isWildcardHost, networkUrls, ownHostNames } from './own-addresses.ts';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1c2a:3bff:fe4d:5e6f%eth0', 'IPv6')],
};

describe('own addresses', () => {
  it('names the machine as another machine would: its network addresses, IPv6 bracketed, its name and name.local', () => {
    expect(ownHostNames(interfaces, 'QA-Box')).toEqual(['192.168.1.20', '[fe80::1c2a:3bff:fe4d:5e6f]', 'qa-box', 'qa-box.local']);
    expect(ownHostNames(interfaces, 'localhost')).toEqual(['192.168.1.20', '[fe80::1c2a:3bff:fe4d:5e6f]']);
  });

  it('gives a URL per IPv4 address, none for loopback', () => {
    expect(networkUrls(8640, interfaces)).toEqual(['http://192.168.1.20:8640']);
  });

  it('knows the every-interface listen addresses', () => {
    expect(['0.0.0.0', '::', '[::]'].map(isWildcardHost)).toEqual([true, true, true]);
    expect(isWildcardHost('192.168.1.20')).toBe(false);
  });
});

// The names this machine answers to on its networks: what a Host header from another machine names when
// Sluice listens on every interface (0.0.0.0 or ::). Without them the DNS-rebinding guard refused every
// request from the network, which such a listen address is for. A rebinding page's Host is the
// attacker's domain name, never one of these.
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** A host as a URL or a Host header writes it: an IPv6 address in brackets. */
export const bracketed = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Whether `host` is a listen address for every interface. */
export const isWildcardHost = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]';

/** This machine's non-loopback addresses (IPv6 in brackets, as a Host header writes them), its host name and that name under .local. */
export function ownHostNames(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
  name: string = hostname(),
): string[] {
  const out = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      out.add(a.family === 'IPv6' ? bracketed(a.address.split('%')[0].toLowerCase()) : a.address);
    }
  }
  const n = name.trim().toLowerCase();
  if (n && n !== 'localhost') {
    out.add(n);
    if (!n.endsWith('.local')) out.add(`${n}.local`);
  }
  return [...out];
}

/** The URLs other machines reach Sluice at: one per non-loopback IPv4 address. */
export function networkUrls(port: number, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const urls: string[] = [];
  for (const list of Object.values(interfaces)) for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') urls.push(`http://${a.address}:${port}`);
  return urls;
}

// The listen address (server.host, SLUICE_HOST, --host): an IP address or a host name. Anything else
// reached the socket as it was and failed there as a bare `getaddrinfo ENOTFOUND bad host!`, or was
// refused for want of a client token, which it did not lack.
import { isIP } from 'node:net';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`);

/** What is wrong with `host` as a listen address, in words after its name; null when it is an IP address or a host name. */
export function listenHostProblem(host: string): string | null {
  if (isIP(host) || HOST_NAME.test(host)) return null;
  const bracketed = /^\[(.*)\]$/.exec(host);
  if (bracketed && isIP(bracketed[1]) === 6) return `is an IPv6 address in brackets; give it without them ('${bracketed[1]}')`;
  return 'is not an IP address or host name (such as 127.0.0.1, ::1, localhost, or 0.0.0.0 for every interface)';
}

/** The words for a listen that failed on its address (an unknown name, an address of another machine), or null for another failure. */
export function listenFailureWords(code: string | undefined): string | null {
  switch (code) {
    case 'ENOTFOUND': case 'EAI_AGAIN': case 'EAI_NONAME': return 'no such host name';
    case 'EADDRNOTAVAIL': return 'not an address of this machine';
    default: return null;
  }
}

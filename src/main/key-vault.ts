// Provider keys sealed with the OS keychain through Electron's safeStorage.
import { safeStorage } from 'electron';
import type { SecretCodec } from '../engine/secrets.ts';
import { plainSecrets } from '../engine/secrets.ts';

export function safeStorageSecrets(): SecretCodec {
  if (!safeStorage.isEncryptionAvailable()) return plainSecrets;
  return {
    encrypted: true,
    seal: (plain) => `safe:${safeStorage.encryptString(plain).toString('base64')}`,
    open: (sealed) => (sealed.startsWith('safe:') ? safeStorage.decryptString(Buffer.from(sealed.slice(5), 'base64')) : plainSecrets.open(sealed)),
  };
}

// How provider keys are kept at rest. The desktop host seals them with the OS keychain
// (Electron safeStorage); headless keeps them in the data dir, readable by this user only.

export interface SecretCodec {
  /** Whether sealed values are really encrypted (shown in the panel). */
  readonly encrypted: boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

export const plainSecrets: SecretCodec = {
  encrypted: false,
  seal: (plain) => `plain:${plain}`,
  open: (sealed) => (sealed.startsWith('plain:') ? sealed.slice(6) : sealed),
};

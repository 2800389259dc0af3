// Settings slice: the engine's general settings and provider list as last loaded.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GeneralSettings, ModelView, ProviderView } from '../../../shared/admin/core-routes.ts';

export interface SettingsState {
  general: GeneralSettings | null;
  providers: ProviderView[] | null;
  models: ModelView[];
  /** Bumped by `config` events so pages know to reload. */
  revision: Record<string, number>;
  setGeneral(g: GeneralSettings): void;
  setProviders(p: ProviderView[]): void;
  setModels(m: ModelView[]): void;
  bump(section: string): void;
}

export function createSettingsStore(): StoreApi<SettingsState> {
  return createStore<SettingsState>()((set) => ({
    general: null,
    providers: null,
    models: [],
    revision: {},
    setGeneral: (general) => set({ general }),
    setProviders: (providers) => set({ providers }),
    setModels: (models) => set({ models }),
    bump: (section) => set((s) => ({ revision: { ...s.revision, [section]: (s.revision[section] ?? 0) + 1 } })),
  }));
}

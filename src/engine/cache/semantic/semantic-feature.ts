// The semantic cache as an engine capability: sets `host.services.semantic` (the hooks the exact
// cache calls on a miss, after a store and after deletes), persists vectors, false-hit marks, recent
// hits and the replay lab's request records in sluice.db (migrations 50–51), records every finished
// chat request for the lab, and implements the admin routes of src/shared/admin/semantic-routes.ts.
// Off by default: a routing rule's `cache.semantic` or the global `config.semantic` turns it on.
import type { FeatureDefinition } from '../../feature.ts';
import { pipelineEmbedder, SEMANTIC_CLIENT } from './pipeline-embedder.ts';
import { implementSemanticAdmin } from './semantic-admin.ts';
import { migrateReplayRepeats, migrateSemanticLog, SemanticLog } from './semantic-log.ts';
import { migrateSemantic, SemanticRepository } from './semantic-repository.ts';
import { SemanticService } from './semantic-service.ts';
import type { Embedder } from './embedder.ts';

declare module '../../feature.ts' {
  interface Services {
    /** The semantic cache with its admin operations (it is also the cache's SemanticHooks). */
    semanticCache: SemanticService;
  }
}

export const semanticFeature: FeatureDefinition = {
  name: 'semantic',
  migrations: [
    { version: 50, name: 'semantic entries and false-hit marks', up: migrateSemantic },
    { version: 51, name: 'semantic hits and replay records', up: migrateSemanticLog },
    { version: 52, name: 'replay records count repeats', up: migrateReplayRepeats },
  ],
  create(host) {
    const { clock, logger, newId } = host.deps;
    const embedders = new Map<string, Embedder>();
    const service = new SemanticService({
      repository: new SemanticRepository(host.db),
      log: new SemanticLog({ db: host.db }),
      clock, logger, newId,
      defaults: () => host.config().semantic,
      entry: (key) => host.services.cache?.tiered.detail(key),
      modelEmbedder: (model) => {
        let e = embedders.get(model);
        if (!e) embedders.set(model, (e = pipelineEmbedder({ model, handler: () => host.handler(), clock, newId })));
        return e;
      },
      emit: (e) => host.emit(e),
      ownClient: SEMANTIC_CLIENT,
    });
    host.services.semantic = service;
    host.services.semanticCache = service;
    host.onFinished((done) => service.onFinished(done));
    implementSemanticAdmin(host.admin, service);
    return {
      name: 'semantic',
      stop() {
        service.close();
      },
    };
  },
};

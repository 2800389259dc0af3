// Preloaded into Electronegativity: its HTTP client `got` fails at once instead of reaching for the
// network. The scanner fetches translations and Electron's release list at start; on a machine
// without internet those requests can time out, and got's retry after a timeout crashes the
// scanner (p-cancelable: "onCancel handler was attached after the promise settled"). Offline, the
// scanner falls back to its bundled English texts and skips the release-notes check, as it says.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload (node -r)
const Module = require('node:module');

function offline() {
  const err = new Error('network disabled for the offline security scan');
  err.code = 'ENETUNREACH';
  return Promise.reject(err);
}
offline.head = offline;
offline.get = offline;

const load = Module._load;
Module._load = function loadWithoutNetwork(request, parent, isMain) {
  if (request === 'got') return offline;
  return load.call(this, request, parent, isMain);
};

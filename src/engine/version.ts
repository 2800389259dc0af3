// The version the engine reports (kept in step with package.json by a test).
export const SLUICE_VERSION = '0.1.0';

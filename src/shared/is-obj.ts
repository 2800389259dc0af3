// The one test for "a JSON object" (not null, not an array) that config, routing and request
// validation share before they look inside a value from a file or a request body.
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

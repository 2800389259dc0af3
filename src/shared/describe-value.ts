// How a value from a request body is quoted back in an error message. Bodies are untrusted JSON, and
// String() throws on an object whose toString is not a function ({"toString": null}), so an error
// message must never call it on them: this names the value's kind instead, or shows short primitives.

const MAX_CHARS = 60;

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return v.length > MAX_CHARS ? `${v.slice(0, MAX_CHARS)}…` : v;
    case 'number': case 'boolean': case 'bigint': return String(v);
    case 'undefined': return 'nothing';
    case 'object': return 'an object';
    default: return `a ${typeof v}`;
  }
}

// An admin API call that failed: carries the server's message and OpenAI-shaped error fields.
import type { ErrorIssue } from '../../../shared/openai.ts';

export interface ApiErrorFields {
  status: number;
  code?: string | null;
  type?: string | null;
  param?: string | null;
  issues?: ErrorIssue[] | null;
}

export class AdminApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly type: string | null;
  readonly param: string | null;
  /** Every problem with its path, when the engine refused a document for several. */
  readonly issues: ErrorIssue[] | null;

  constructor(message: string, fields: ApiErrorFields) {
    super(message);
    this.name = 'AdminApiError';
    this.status = fields.status;
    this.code = fields.code ?? null;
    this.type = fields.type ?? null;
    this.param = fields.param ?? null;
    this.issues = fields.issues ?? null;
  }

  /** True when the engine could not be reached at all (no HTTP answer). */
  get unreachable(): boolean { return this.status === 0; }

  /** True when what was asked for is not there (404): a delete of something another window deleted already. */
  get gone(): boolean { return this.status === 404; }
}

/** Builds the error from a non-2xx response body (OpenAI's `{ error: { message, … } }` shape, or anything else). */
export function errorFromBody(status: number, text: string): AdminApiError {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; type?: unknown; param?: unknown; issues?: unknown } };
    const e = parsed?.error;
    if (e && typeof e.message === 'string') {
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      const issues = Array.isArray(e.issues)
        ? e.issues.filter((i): i is ErrorIssue => typeof i?.message === 'string' && (i.param === null || typeof i.param === 'string'))
        : null;
      return new AdminApiError(e.message, { status, code: str(e.code), type: str(e.type), param: str(e.param), issues });
    }
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().slice(0, 200);
  return new AdminApiError(snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}`, { status });
}

// The OpenAI-compatible endpoints at the edge: read and validate the body, build the request
// context, run the pipeline, write the answer with Sluice's headers.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeValue } from '../../shared/describe-value.ts';
import type { RequestSummary } from '../../shared/events.ts';
import type { Endpoint, Priority } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { BadRequestError, ClientClosedError, ServerShuttingDownError, SluiceError } from '../errors.ts';
import { sendError } from '../http/error-response.ts';
import { firstChars, utf8HeaderText } from '../http/header-text.ts';
import { parseJsonObject, readBody } from '../http/read-body.ts';
import { writeResult } from '../http/write-result.ts';
import type { Logger } from '../logger.ts';
import type { CacheDirectives, Handler, ProxyResult, RequestContext } from '../pipeline/context.ts';
import { parseTags } from './tags.ts';

export interface ProxyEndpointOptions {
  clock: Clock;
  newId: () => string;
  handler: () => Handler;
  bodyLimitBytes: () => number;
  /** Where a fault of Sluice's own (an error that is not a SluiceError) is reported, with its stack. */
  logger: Logger;
  /** Checks made before the body is read (the client token, a paused engine); throwing refuses the request. */
  gate?(req: IncomingMessage): void;
  /** A request refused before the pipeline (its body or headers are invalid): the record to log. */
  onRejected?(rejected: RejectedRequest): void;
  /**
   * The requests still running, each by the function that cuts it off: called once the engine's grace
   * period for shutting down is over, it aborts the request upstream and answers it with a
   * server_shutting_down error (an SSE error event, for a stream). A Set, not one shared AbortSignal:
   * adding and removing a listener there costs every request a walk of all the others.
   */
  running?: Set<() => void>;
}

export interface RejectedRequest { summary: RequestSummary; error: SluiceError; headers: IncomingMessage['headers'] }

export type ParseBody = (raw: Record<string, unknown>) => Record<string, unknown>;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function tenantOf(req: IncomingMessage): string {
  const auth = header(req, 'authorization') ?? header(req, 'x-api-key') ?? header(req, 'api-key');
  return auth ? createHash('sha256').update(auth).digest('hex').slice(0, 32) : '';
}

const MAX_NAMESPACE_CHARS = 128;

export function cacheDirectivesOf(req: IncomingMessage): CacheDirectives {
  const cc = (header(req, 'cache-control') ?? '').toLowerCase();
  const ttlRaw = header(req, 'x-sluice-cache-ttl');
  // a lifetime that cannot be read would silently become the default one: refuse it, as OpenAI refuses a bad field
  if (ttlRaw !== undefined && !/^\d{1,10}$/.test(ttlRaw.trim())) {
    const why = /^\d+$/.test(ttlRaw.trim()) ? `at most 9999999999 seconds, got a number of ${ttlRaw.trim().length} digits` : `a whole number of seconds, got ${describeValue(ttlRaw.slice(0, 40))}`;
    throw new BadRequestError(`x-sluice-cache-ttl: ${why}.`, 'x-sluice-cache-ttl', 'SLUICE_INVALID_HEADER');
  }
  const ttl = ttlRaw !== undefined ? Number(ttlRaw) : null;
  const ns = utf8HeaderText((header(req, 'x-sluice-cache-namespace') ?? '').trim());
  // read as anything but its own characters, it could neither be found nor cleared by its name
  if (ns === null) throw new BadRequestError('x-sluice-cache-namespace: not valid UTF-8; send the name as UTF-8 text.', 'x-sluice-cache-namespace', 'SLUICE_INVALID_HEADER');
  // cut short, two namespaces would share entries: refuse instead
  const chars = ns.length > MAX_NAMESPACE_CHARS ? Array.from(ns).length : ns.length;
  if (chars > MAX_NAMESPACE_CHARS) {
    throw new BadRequestError(`x-sluice-cache-namespace: at most ${MAX_NAMESPACE_CHARS} characters, got ${chars}.`, 'x-sluice-cache-namespace', 'SLUICE_INVALID_HEADER');
  }
  return { noRead: /\bno-cache\b/.test(cc), noStore: /\bno-store\b/.test(cc), ttlSeconds: ttl, namespace: ns };
}

/** Who sent it, for the log and client limits: x-sluice-client, else the credential's hash, else the address. */
function clientOf(req: IncomingMessage, tenant = tenantOf(req)): string {
  const named = header(req, 'x-sluice-client');
  // a name that is not UTF-8 is kept as its bytes read one by one, rather than lost
  const name = named ? firstChars(utf8HeaderText(named) ?? named, 64) : '';
  return name || (tenant ? `key:${tenant.slice(0, 8)}` : `ip:${req.socket.remoteAddress ?? '?'}`);
}

/** The model a refused body asked for, when it names one in a string ('' otherwise). */
function modelOf(raw: Record<string, unknown> | null): string {
  return typeof raw?.model === 'string' ? raw.model.slice(0, 200) : '';
}

/** x-sluice-tags read as UTF-8 (bytes that are not stay as they came). */
function tagsOf(req: IncomingMessage): string[] {
  const v = req.headers['x-sluice-tags'];
  if (v === undefined) return [];
  const joined = Array.isArray(v) ? v.join(',') : v;
  return parseTags(utf8HeaderText(joined) ?? joined);
}

function priorityOf(req: IncomingMessage): Priority {
  const p = (header(req, 'x-sluice-priority') ?? '').trim().toLowerCase();
  return p === 'high' || p === 'low' ? p : 'normal';
}


/** A 500 the client sees as 'internal error' must leave a trace someone can act on. */
export function reportInternal(logger: Logger, err: unknown, id: string, path: string): void {
  if (err instanceof SluiceError) return;
  logger.error('request failed with an internal error', { id, path, error: err instanceof Error ? err.stack ?? err.message : describeValue(err) });
}

export function createProxyEndpoint(endpoint: Endpoint, parse: ParseBody, opts: ProxyEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const id = opts.newId();
    const t0 = opts.clock.monotonic();
    const base: Record<string, string> = { 'x-request-id': id };
    const abort = new AbortController();
    const stop = () => abort.abort(new ServerShuttingDownError());
    opts.running?.add(stop);
    res.on('close', () => {
      opts.running?.delete(stop);
      if (!res.writableFinished) abort.abort(new ClientClosedError());
    });
    let body: Record<string, unknown>;
    let cacheDirectives: CacheDirectives;
    let raw: Record<string, unknown> | null = null;
    try {
      opts.gate?.(req);
      raw = parseJsonObject(await readBody(req, opts.bodyLimitBytes()));
      body = parse(raw);
      cacheDirectives = cacheDirectivesOf(req);
    } catch (err) {
      reportInternal(opts.logger, err, id, path);
      const error = sendError(res, err, base);
      // logged too, so the x-request-id the client got can be looked up
      const latencyMs = Math.round((opts.clock.monotonic() - t0) * 1000) / 1000;
      opts.onRejected?.({
        error, headers: req.headers,
        summary: {
          // a body that was read but refused still names its model, so the log can be filtered by it
          id, ts: opts.clock.now(), endpoint, path, method: req.method ?? 'POST', model: modelOf(raw), requestedModel: modelOf(raw), provider: '',
          status: error.status, latencyMs, firstByteMs: null, stream: false, cache: 'none', attempts: 0,
          promptTokens: 0, completionTokens: 0, costUsd: 0, errorCode: error.clientCode, client: clientOf(req),
        },
      });
      return;
    }
    const tenant = tenantOf(req);
    const ctx: RequestContext = {
      id, endpoint, path, method: req.method ?? 'POST', body, headers: req.headers, tenant,
      client: clientOf(req, tenant),
      signal: abort.signal, receivedAt: opts.clock.now(), t0,
      requestedModel: String(body.model), stream: body.stream === true, priority: priorityOf(req), tags: tagsOf(req),
      cacheDirectives,
      targets: [], timeoutMs: null, cachePolicy: null, trace: [],
      timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
      // 'none' until the cache stage looks: a request refused before it (unknown model) was no cache miss, nor a bypass
      cacheResult: 'none', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null, notes: {},
    };
    let result: ProxyResult | undefined;
    try {
      result = await opts.handler()(ctx);
      const headers: Record<string, string> = {
        ...base,
        'x-sluice-provider': ctx.served?.provider ?? '',
        'x-sluice-model': ctx.served?.model ?? '',
        'x-sluice-cache': ctx.cacheResult,
        'x-sluice-attempts': String(ctx.attempts),
      };
      if (ctx.batchSize !== null) headers['x-sluice-batch'] = String(ctx.batchSize);
      await writeResult(res, result, headers, abort.signal);
      result.afterSend?.();
    } catch (err) {
      result?.afterSend?.();
      const reason: unknown = abort.signal.reason;
      if (reason instanceof ClientClosedError) {
        res.destroy();
        return;
      }
      reportInternal(opts.logger, err, id, path);
      const extra: Record<string, string> = { ...base, 'x-sluice-attempts': String(ctx.attempts) };
      if (ctx.served) { extra['x-sluice-provider'] = ctx.served.provider; extra['x-sluice-model'] = ctx.served.model; }
      // shutting down: that is what the client is told, whatever the abort made of the upstream call
      sendError(res, reason instanceof ServerShuttingDownError ? reason : err, extra);
    }
  };
}

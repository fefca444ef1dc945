/**
 * `schedulerRouter()`: the REST API over a scheduler, as an Express (4 or 5) `Router`.
 *
 * @module
 */
import type { ErrorRequestHandler, NextFunction, Request, Response, Router } from 'express';
import type { AddJobOptions, JobChanges, Scheduler } from '../index.js';
import { readJsonBody } from './body.js';
import { sendDashboard } from './dashboard/index.js';
import { HttpError, internalError, sendError, toHttpError, type ErrorContext } from './errors.js';
import { EventStreams } from './events.js';
import { guard } from './guards.js';
import { RunHistory } from './history.js';
import { resolveOptions, type ResolvedOptions, type SchedulerRouterOptions } from './options.js';
import { defined, handle, sendJson, type Handler } from './respond.js';
import { emptySchema, jobChangesSchema, newJobSchema, parseBody, shutdownSchema, startSchema } from './schemas.js';
import { listPage, parseListQuery } from './list-query.js';
import { patchChanges } from './round-trip.js';
import { jobJson, schedulerInfo, triggerJson, upcoming } from './serialize.js';
import { previewInput } from './preview.js';

/** The router returned by `schedulerRouter()`: an Express `Router` with a `close()` method. */
export interface SchedulerRouter extends Router {
  /**
   * Releases what the router holds on the scheduler: its event subscriptions (run history stops
   * updating) and every open `GET /events` stream (ended; new ones answer 503). The routes keep
   * answering. Call it when the router is dropped while the scheduler lives on.
   */
  close(): void;
}

/** Makes an empty Express router (`express.Router`). @internal */
export type RouterFactory = () => Router;

/** Runs `fn`, turning scheduler errors into HTTP errors that name request fields. */
async function mapped<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toHttpError(error, context) ?? error;
  }
}

function jobNotFound(id: string): HttpError {
  return new HttpError(404, 'ERR_JOB_NOT_FOUND', `No job with id ${JSON.stringify(id)}`, { id });
}

/** Builds the router on `makeRouter` (the Express the app uses). @internal */
export function createSchedulerRouter(
  makeRouter: RouterFactory,
  scheduler: Scheduler,
  options?: SchedulerRouterOptions,
): SchedulerRouter {
  if (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.addJob !== 'function') {
    throw new TypeError('schedulerRouter: the first argument must be a Scheduler');
  }
  const o: ResolvedOptions = resolveOptions(options);
  const history = new RunHistory(scheduler, o.historySize);
  const streams = new EventStreams(scheduler, o.heartbeatMs);
  const router = makeRouter() as SchedulerRouter;
  const zone = (): string => scheduler.timezone;
  const info = () => schedulerInfo(scheduler, o.readOnly, o.authKind);
  const body = (req: Request) => readJsonBody(req, o.bodyLimit);

  /** The task names that may be scheduled over HTTP, in a Map: no prototype keys resolve. */
  const allowedTasks = (): Map<string, true> => {
    const narrowed = o.tasks && new Set(o.tasks);
    const allowed = new Map<string, true>();
    for (const name of scheduler.taskNames) if (!narrowed || narrowed.has(name)) allowed.set(name, true);
    return allowed;
  };
  const checkTask = (task: string): void => {
    if (allowedTasks().get(task) === true) return;
    throw new HttpError(
      400,
      'ERR_TASK_NOT_FOUND',
      `No task ${JSON.stringify(task.length > 200 ? `${task.slice(0, 200)}...` : task)} may be scheduled over ` +
        'HTTP (GET /tasks lists those that may)',
      { field: 'task', value: task.length > 200 ? `${task.slice(0, 200)}...` : task },
    );
  };
  const oneJob = async (id: string) => {
    const job = await scheduler.getJob(id);
    return job && jobJson(zone(), job, history.get(job.id), true);
  };

  router.use((req: Request, res: Response, next: NextFunction) => {
    guard(req, o).then(() => next(), next);
  });

  const lifecycle = (schema: typeof emptySchema | typeof startSchema | typeof shutdownSchema, act: (given: Record<string, unknown>) => Promise<void> | void): Handler =>
    async (req, res) => {
      const given = parseBody(schema, await body(req)) as Record<string, unknown>;
      await mapped({}, async () => act(given));
      sendJson(res, 200, await info());
    };

  const routes: [path: string, methods: Record<string, Handler>][] = [
    ['/', { GET: async (_req, res) => sendJson(res, 200, await info()) }],
    ['/start', { POST: lifecycle(startSchema, (g) => scheduler.start(defined({ paused: g.paused as boolean | undefined }))) }],
    ['/shutdown', { POST: lifecycle(shutdownSchema, (g) => scheduler.shutdown(defined({ wait: g.wait as boolean | undefined }))) }],
    ['/pause', { POST: lifecycle(emptySchema, () => scheduler.pause()) }],
    ['/resume', { POST: lifecycle(emptySchema, () => scheduler.resume()) }],
    ['/tasks', { GET: async (_req, res) => sendJson(res, 200, { tasks: [...allowedTasks().keys()].sort() }) }],
    [
      '/preview',
      {
        // What a trigger would do, before a job is made of it: the add form's live preview.
        GET: async (req, res) => {
          const trigger = previewInput(req.query as Record<string, unknown>);
          const made = await mapped({ trigger }, async () => scheduler.trigger(trigger as never));
          const first = await mapped({ trigger }, async () => made.getNextFireTime(null, new Date()));
          sendJson(res, 200, { trigger: triggerJson(made), upcoming: upcoming(zone(), made, first) });
        },
      },
    ],
    [
      '/jobs',
      {
        GET: async (req, res) => {
          const query = parseListQuery(req.query as Record<string, unknown>);
          const page = listPage(await scheduler.getJobs(), query, (id) => history.get(id).running.length);
          const jobs = page.jobs.map((job) => jobJson(zone(), job, history.get(job.id), false));
          sendJson(res, 200, { jobs, total: page.total, nextCursor: page.nextCursor });
        },
        POST: async (req, res) => {
          const { task, trigger, ...rest } = parseBody(newJobSchema, await body(req));
          checkTask(task);
          const job = await mapped({ trigger }, () =>
            scheduler.addJob(task, trigger as never, defined(rest) as AddJobOptions),
          );
          res.setHeader('Location', `${req.baseUrl}/jobs/${encodeURIComponent(job.id)}`);
          sendJson(res, 201, jobJson(zone(), job, history.get(job.id), true));
        },
      },
    ],
    [
      '/jobs/:id',
      {
        GET: async (req, res) => {
          const id = String(req.params.id);
          const job = await oneJob(id);
          if (!job) throw jobNotFound(id);
          sendJson(res, 200, job);
        },
        PATCH: async (req, res) => {
          const id = String(req.params.id);
          const current = await oneJob(id);
          if (!current) throw jobNotFound(id);
          const changes = parseBody(jobChangesSchema, patchChanges(await body(req), current));
          if (changes.task !== undefined) checkTask(changes.task);
          const job = await mapped({ trigger: changes.trigger }, () =>
            scheduler.modifyJob(id, defined(changes) as JobChanges),
          );
          sendJson(res, 200, jobJson(zone(), job, history.get(job.id), true));
        },
        DELETE: async (req, res) => {
          parseBody(emptySchema, await body(req));
          await mapped({}, () => scheduler.removeJob(String(req.params.id)));
          sendJson(res, 204, undefined);
        },
      },
    ],
    [
      '/jobs/:id/pause',
      {
        POST: async (req, res) => {
          parseBody(emptySchema, await body(req));
          const job = await mapped({}, () => scheduler.pauseJob(String(req.params.id)));
          sendJson(res, 200, jobJson(zone(), job, history.get(job.id), true));
        },
      },
    ],
    [
      '/jobs/:id/resume',
      {
        POST: async (req, res) => {
          parseBody(emptySchema, await body(req));
          const job = await mapped({}, () => scheduler.resumeJob(String(req.params.id)));
          if (job === undefined) sendJson(res, 204, undefined);
          else sendJson(res, 200, jobJson(zone(), job, history.get(job.id), true));
        },
      },
    ],
    [
      '/jobs/:id/run',
      {
        POST: async (req, res) => {
          const id = String(req.params.id);
          parseBody(emptySchema, await body(req));
          await mapped({}, () => scheduler.runJob(id));
          const job = await oneJob(id);
          sendJson(res, job ? 202 : 204, job);
        },
      },
    ],
    ['/events', { GET: (req, res) => streams.open(req, res, info) }],
  ];
  if (o.dashboard) routes.push(['/dashboard', { GET: async (_req, res) => sendDashboard(res) }]);

  for (const [path, methods] of routes) {
    const route = router.route(path);
    for (const [method, fn] of Object.entries(methods)) {
      route[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](handle(fn));
    }
    const allow = Object.keys(methods).flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]));
    route.all((req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'OPTIONS') {
        res.setHeader('Allow', allow.join(', '));
        sendJson(res, 204, undefined);
        return;
      }
      next(new HttpError(405, 'ERR_METHOD_NOT_ALLOWED', `${req.method} is not allowed here (allowed: ${allow.join(', ')})`, undefined, { Allow: allow.join(', ') }));
    });
  }

  router.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpError(404, 'ERR_NOT_FOUND', `No route ${req.method} ${req.baseUrl}${req.path}`));
  });

  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    let http = toHttpError(error);
    const status = (error as { status?: unknown } | null)?.status;
    if (!http && typeof status === 'number' && status >= 400 && status < 500) {
      // From Express itself, e.g. a path parameter that is not valid percent-encoding.
      http = new HttpError(status, 'ERR_BAD_REQUEST', 'The request could not be understood');
    }
    if (!http) {
      try {
        o.onError(error, req);
      } catch {
        // A throwing onError must not turn into an unhandled error.
      }
      http = internalError();
    }
    sendError(res, http);
  };
  router.use(onError);

  router.close = () => {
    history.close();
    streams.close();
  };
  return router;
}

// Bad requests: each gets a 4xx in the error shape naming the field, never a 500 or a stack, and
// leaves the scheduler's jobs exactly as they were.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, snapshot, VERSIONS, type Setup } from './harness.js';

interface BadRequest {
  name: string;
  method?: 'post' | 'patch' | 'delete';
  path?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
  code: string;
  field?: string;
  value?: unknown;
}

const JOB = '/scheduler/jobs';
const interval = { type: 'interval', minutes: 5 };
const post = (name: string, body: unknown, status: number, code: string, field?: string, value?: unknown): BadRequest => ({
  name,
  body,
  status,
  code,
  ...(field === undefined ? {} : { field }),
  ...(value === undefined ? {} : { value }),
});

/** `n` arrays nested in each other: `[[[...]]]`. */
const nestedArrays = (n: number): string => '['.repeat(n) + ']'.repeat(n);
/** An `or` trigger nested `n` times around a date trigger. */
const nestedOr = (n: number): string => {
  let trigger = '{"type":"date","runDate":"2030-01-01T00:00:00Z"}';
  for (let i = 0; i < n; i++) trigger = `{"type":"or","triggers":[${trigger}]}`;
  return trigger;
};

const TASK_NAMES = ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'module:function', 'os:system', 'child_process:exec', './tasks.js', ''];

const CASES: BadRequest[] = [
  { name: 'malformed JSON', raw: '{"task": "greet", trigger', status: 400, code: 'ERR_MALFORMED_JSON' },
  { name: 'invalid UTF-8', raw: '{"task": "\xff"}', contentType: 'application/json; charset=latin1', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'text/plain body', raw: '{"task":"greet","trigger":"@daily"}', contentType: 'text/plain', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'form body', raw: 'task=greet&trigger=%40daily', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON body without a content type', raw: '{"task":"greet","trigger":"@daily"}', contentType: '', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a JSON array', body: [{ task: 'greet', trigger: '@daily' }], status: 400, code: 'ERR_VALIDATION', field: 'body' },
  { name: 'a JSON string', raw: '"greet"', status: 400, code: 'ERR_VALIDATION', field: 'body' },
  post('no task', { trigger: '@daily' }, 400, 'ERR_VALIDATION', 'task'),
  post('no trigger', { task: 'greet' }, 400, 'ERR_VALIDATION', 'trigger'),
  post('task not a string', { task: 42, trigger: '@daily' }, 400, 'ERR_VALIDATION', 'task', 42),
  post('trigger a number', { task: 'greet', trigger: 5 }, 400, 'ERR_VALIDATION', 'trigger', 5),
  post('trigger without type', { task: 'greet', trigger: { minutes: 5 } }, 400, 'ERR_VALIDATION', 'trigger'),
  post('unknown field', { task: 'greet', trigger: '@daily', func: 'os:system' }, 400, 'ERR_VALIDATION', 'func'),
  { name: 'unknown field __proto__', raw: '{"task":"greet","trigger":"@daily","__proto__":{"admin":true}}', status: 400, code: 'ERR_VALIDATION', field: '__proto__' },
  post('unknown field constructor', { task: 'greet', trigger: '@daily', constructor: 1 }, 400, 'ERR_VALIDATION', 'constructor'),
  post('unknown trigger type', { task: 'greet', trigger: { type: 'shell', command: 'rm' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.type', 'shell'),
  post('invalid crontab', { task: 'greet', trigger: '61 * * * *' }, 400, 'ERR_INVALID_TRIGGER', 'trigger', '61 * * * *'),
  post('crontab with 3 fields', { task: 'greet', trigger: '* * *' }, 400, 'ERR_INVALID_TRIGGER', 'trigger'),
  post('invalid cron field', { task: 'greet', trigger: { type: 'cron', hour: '25' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.hour', '25'),
  post('invalid cron expression in a spec', { task: 'greet', trigger: { type: 'cron', expression: 'every day' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.expression'),
  post('unknown trigger option', { task: 'greet', trigger: { type: 'interval', minutes: 5, every: 1 } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.every'),
  post('negative interval', { task: 'greet', trigger: { type: 'interval', minutes: -5 } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.minutes'),
  post('invalid time zone', { task: 'greet', trigger: { type: 'cron', hour: '9', timezone: 'Mars/Olympus' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.timezone', 'Mars/Olympus'),
  post('impossible run date', { task: 'greet', trigger: { type: 'date', runDate: '2024-02-30' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.runDate', '2024-02-30'),
  post('impossible start date', { task: 'greet', trigger: { type: 'interval', hours: 1, startDate: '2024-02-30T10:00:00Z' } }, 400, 'ERR_INVALID_TRIGGER', 'trigger.startDate'),
  post('impossible nextRunTime', { task: 'greet', trigger: interval, nextRunTime: '2024-02-30' }, 400, 'ERR_INVALID_ARGUMENT', 'nextRunTime', '2024-02-30'),
  post('unparsable nextRunTime', { task: 'greet', trigger: interval, nextRunTime: 'tomorrow' }, 400, 'ERR_INVALID_ARGUMENT', 'nextRunTime'),
  post('invalid date inside an or trigger', { task: 'greet', trigger: { type: 'or', triggers: [{ type: 'date', runDate: '2024-13-01' }] } }, 400, 'ERR_INVALID_TRIGGER'),
  post('negative misfireGraceTime', { task: 'greet', trigger: interval, misfireGraceTime: -1 }, 400, 'ERR_VALIDATION', 'misfireGraceTime', -1),
  post('fractional maxInstances', { task: 'greet', trigger: interval, maxInstances: 1.5 }, 400, 'ERR_VALIDATION', 'maxInstances', 1.5),
  post('unknown coalesce', { task: 'greet', trigger: interval, coalesce: 'some' }, 400, 'ERR_VALIDATION', 'coalesce', 'some'),
  post('args not an array', { task: 'greet', trigger: interval, args: 'x' }, 400, 'ERR_VALIDATION', 'args', 'x'),
  post('metadata not an object', { task: 'greet', trigger: interval, metadata: [1] }, 400, 'ERR_VALIDATION', 'metadata'),
  post('empty id', { task: 'greet', trigger: interval, id: '' }, 400, 'ERR_VALIDATION', 'id', ''),
  // A lone surrogate cannot go into a URL: it once made the job, then a 500 writing Location.
  post('id with a lone surrogate', { task: 'greet', trigger: interval, id: 'a\ud800' }, 400, 'ERR_VALIDATION', 'id'),
  post('id with a lone low surrogate', { task: 'greet', trigger: interval, id: '\udc00b' }, 400, 'ERR_VALIDATION', 'id'),
  // Nesting past the limit is refused before anything walks it recursively.
  { name: 'args nested 40 deep', raw: `{"task":"greet","trigger":"@daily","args":${nestedArrays(40)}}`, status: 400, code: 'ERR_VALIDATION', field: `args${'[0]'.repeat(31)}` },
  { name: 'metadata nested 40 deep', raw: `{"task":"greet","trigger":"@daily","metadata":{"a":${nestedArrays(40)}}}`, status: 400, code: 'ERR_VALIDATION' },
  { name: 'trigger nested 20 ors deep', raw: `{"task":"greet","trigger":${nestedOr(20)}}`, status: 400, code: 'ERR_VALIDATION' },
  { name: 'PATCH: args nested 40 deep', method: 'patch', path: `${JOB}/keep`, raw: `{"name":"changed","args":${nestedArrays(40)}}`, status: 400, code: 'ERR_VALIDATION' },
  post('duplicate id', { task: 'greet', trigger: interval, id: 'keep' }, 409, 'ERR_CONFLICTING_ID', 'id', 'keep'),
  post('unknown executor', { task: 'greet', trigger: interval, executor: 'threads' }, 400, 'ERR_EXECUTOR_NOT_FOUND', 'executor', 'threads'),
  post('unknown store', { task: 'greet', trigger: interval, store: 'redis' }, 400, 'ERR_STORE_NOT_FOUND', 'store', 'redis'),
  post('a task outside the tasks option', { task: 'fail', trigger: interval }, 400, 'ERR_TASK_NOT_FOUND', 'task', 'fail'),
  ...TASK_NAMES.map((task) =>
    task === ''
      ? post('empty task name', { task, trigger: interval }, 400, 'ERR_VALIDATION', 'task', '')
      : post(`unregistered task ${JSON.stringify(task)}`, { task, trigger: interval }, 400, 'ERR_TASK_NOT_FOUND', 'task', task),
  ),
  // PATCH: one bad field among good ones changes nothing.
  { name: 'PATCH: a good name and a bad trigger', method: 'patch', path: `${JOB}/keep`, body: { name: 'changed', trigger: { type: 'cron', hour: '99' } }, status: 400, code: 'ERR_INVALID_TRIGGER', field: 'trigger.hour' },
  { name: 'PATCH: a good trigger and a bad task', method: 'patch', path: `${JOB}/keep`, body: { trigger: '@hourly', task: '__proto__' }, status: 400, code: 'ERR_TASK_NOT_FOUND', field: 'task' },
  { name: 'PATCH: a good name and an impossible nextRunTime', method: 'patch', path: `${JOB}/keep`, body: { name: 'changed', nextRunTime: '2024-02-30T10:00' }, status: 400, code: 'ERR_INVALID_ARGUMENT', field: 'nextRunTime' },
  { name: 'PATCH: a good name and a bad executor', method: 'patch', path: `${JOB}/keep`, body: { name: 'changed', executor: 'nope' }, status: 400, code: 'ERR_EXECUTOR_NOT_FOUND', field: 'executor' },
  { name: 'PATCH: id in the body', method: 'patch', path: `${JOB}/keep`, body: { id: 'other' }, status: 400, code: 'ERR_VALIDATION', field: 'id' },
  { name: 'PATCH: store in the body', method: 'patch', path: `${JOB}/keep`, body: { name: 'x', store: 'other' }, status: 400, code: 'ERR_VALIDATION', field: 'store' },
  { name: 'PATCH: unknown id', method: 'patch', path: `${JOB}/nope`, body: { name: 'x' }, status: 404, code: 'ERR_JOB_NOT_FOUND' },
  { name: 'PATCH: malformed JSON', method: 'patch', path: `${JOB}/keep`, raw: '{"name":', status: 400, code: 'ERR_MALFORMED_JSON' },
  { name: 'DELETE: unknown id', method: 'delete', path: `${JOB}/nope`, status: 404, code: 'ERR_JOB_NOT_FOUND' },
  { name: 'DELETE: a body with fields', method: 'delete', path: `${JOB}/keep`, body: { force: true }, status: 400, code: 'ERR_VALIDATION', field: 'force' },
  { name: 'pause: a body with fields', path: `${JOB}/keep/pause`, body: { until: 'tomorrow' }, status: 400, code: 'ERR_VALIDATION', field: 'until' },
  { name: 'run: a form body', path: `${JOB}/keep/run`, raw: 'x=1', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'run: an empty form post', path: `${JOB}/keep/run`, raw: '', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'shutdown: wait not a boolean', path: '/scheduler/shutdown', body: { wait: 'false' }, status: 400, code: 'ERR_VALIDATION', field: 'wait', value: 'false' },
  { name: 'start: while running', path: '/scheduler/start', status: 409, code: 'ERR_SCHEDULER_STATE' },
  { name: 'gzip-encoded body', raw: '{}', contentType: 'application/json', status: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' },
];

describe.each(VERSIONS)('bad requests on $name', (version) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(version, { auth: false, tasks: ['greet', 'cleanup'], bodyLimit: '1kb' });
    await s.scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'keep', args: ['x'] });
    await s.scheduler.addJob('cleanup', '0 3 * * *', { id: 'nightly', paused: true });
  });
  afterAll(async () => {
    s.router.close();
    await s.scheduler.shutdown();
  });

  it.each(CASES)('$name: $status $code', async (bad) => {
    const before = await snapshot(s.scheduler);
    const method = bad.method ?? 'post';
    let req = s.request[method](bad.path ?? JOB);
    if (bad.name === 'gzip-encoded body') req = req.set('Content-Encoding', 'gzip');
    if (bad.raw !== undefined) {
      if (bad.contentType !== '') req = req.set('Content-Type', bad.contentType ?? 'application/json');
      req = req.send(bad.raw);
    } else if (bad.body !== undefined) req = req.send(bad.body as object);
    const res = await req;
    expect(res.status).toBe(bad.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error.code).toBe(bad.code);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/); // never a stack trace
    // In the library's words, never a dependency's (valibot's, cron-parser's).
    expect(res.body.error.message).not.toMatch(/Invalid (type|value|length|key): Expected|but received|Constraint error|got value/);
    if (bad.field !== undefined) expect(res.body.error.details?.field).toBe(bad.field);
    if (bad.value !== undefined) expect(res.body.error.details?.value).toEqual(bad.value);
    expect(await snapshot(s.scheduler)).toBe(before);
  });

  it('an oversized body gets 413, from Content-Length or while streaming, and changes nothing', async () => {
    const before = await snapshot(s.scheduler);
    const big = { task: 'greet', trigger: interval, metadata: { blob: 'x'.repeat(2000) } };
    const res = await s.request.post(JOB).send(big);
    expect([res.status, res.body.error.code]).toEqual([413, 'ERR_PAYLOAD_TOO_LARGE']);
    // Chunked: no Content-Length, so the limit is found while reading.
    const server = s.app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ port, method: 'POST', path: JOB, headers: { 'Content-Type': 'application/json' } }, (r) => {
          let body = '';
          r.on('data', (chunk: Buffer) => (body += chunk.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write(JSON.stringify(big).slice(i * 300, (i + 1) * 300));
        req.end();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await snapshot(s.scheduler)).toBe(before);
  });

  it('very deep nesting within the body limit gets 400, never a stack overflow (500)', async () => {
    const deep = await setup(version, { auth: false, bodyLimit: '1mb' });
    try {
      await deep.scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'keep' });
      const before = await snapshot(deep.scheduler);
      const bodies: [method: 'post' | 'patch', path: string, raw: string][] = [
        ['post', JOB, `{"task":"greet","trigger":"@daily","args":${nestedArrays(100_000)}}`],
        ['post', JOB, `{"task":"greet","trigger":"@daily","metadata":{"a":${nestedArrays(100_000)}}}`],
        ['post', JOB, `{"task":"greet","trigger":${nestedOr(10_000)}}`],
        ['patch', `${JOB}/keep`, `{"trigger":${nestedOr(10_000)}}`],
      ];
      for (const [method, path, raw] of bodies) {
        const res = await deep.request[method](path).set('Content-Type', 'application/json').send(raw);
        expect([res.status, res.body.error.code]).toEqual([400, 'ERR_VALIDATION']);
      }
      expect(await snapshot(deep.scheduler)).toBe(before);
    } finally {
      deep.router.close();
      await deep.scheduler.shutdown();
    }
  });

  it('a body that is not UTF-8 gets 400 ERR_MALFORMED_JSON', async () => {
    const before = await snapshot(s.scheduler);
    const bytes = Buffer.concat([Buffer.from('{"task":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","trigger":"@daily"}')]);
    const res = await s.request.post(JOB).set('Content-Type', 'application/json').serialize((body: Buffer) => body as unknown as string).send(bytes);
    expect([res.status, res.body.error.code]).toEqual([400, 'ERR_MALFORMED_JSON']);
    expect(await snapshot(s.scheduler)).toBe(before);
  });

  it('the same requests with valid values succeed (the cases above fail for the reason named)', async () => {
    const ok = await s.request.post(JOB).send({ id: 'valid', task: 'greet', trigger: { type: 'date', runDate: '2024-02-29' } });
    expect(ok.status).toBe(201);
    const nested = await s.request.post(JOB).send({ id: 'emoji 😀/x', task: 'greet', trigger: '@daily', args: JSON.parse(nestedArrays(30)) });
    expect([nested.status, nested.headers.location]).toEqual([201, `/scheduler/jobs/${encodeURIComponent('emoji 😀/x')}`]);
    expect((await s.request.delete(nested.headers.location as string)).status).toBe(204);
    const patched = await s.request.patch(`${JOB}/valid`).send({ name: 'changed', trigger: { type: 'cron', hour: '23' } });
    expect([patched.status, patched.body.name]).toEqual([200, 'changed']);
    expect((await s.request.delete(`${JOB}/valid`)).status).toBe(204);
  });
});

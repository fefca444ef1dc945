/**
 * Client script, part 3: live updates. `GET /events` is read with `fetch()` and a stream reader
 * (not `EventSource`, which cannot send an `Authorization` header), parsed as server-sent events,
 * and reconnected with exponential backoff. Each event schedules one debounced refetch.
 *
 * @internal
 * @module
 */

/** Browser JavaScript: `connectEvents()` and the event handling. @internal */
export const CLIENT_EVENTS_JS = String.raw`
// ---- live updates: GET /events read with fetch (so an Authorization header can be sent) ---------
let stream = null;
let backoffMs = 1000;
let reconnectTimer = null;
/** The server ends streams while the scheduler is stopped: look again every few seconds. */
let schedulerStopped = false;
const STOPPED_RETRY_MS = 5000;

function setLive(text, state) {
  const live = $('live-status');
  live.textContent = text;
  live.className = 'live' + (state ? ' ' + state : '');
}

function onEvent(type, data) {
  if (type === 'hello') {
    schedulerStopped = Boolean(data && data.state === 'stopped');
    if (data && typeof data === 'object') renderInfo(data);
    return;
  }
  if (type === 'scheduler:shutdown') schedulerStopped = true;
  const jobId = data && typeof data.jobId === 'string' ? data.jobId : null;
  if (jobId && type === 'job:submitted') inFlight.set(jobId, (inFlight.get(jobId) || 0) + 1);
  if (jobId && (type === 'job:executed' || type === 'job:error')) inFlight.set(jobId, Math.max(0, (inFlight.get(jobId) || 0) - 1));
  if (type === 'job:removed' || type === 'jobs:cleared' || type === 'scheduler:shutdown') {
    if (jobId) inFlight.delete(jobId);
    else inFlight.clear();
  }
  if (jobId && rows.has(jobId) && rows.get(jobId).job) updateRow(rows.get(jobId), rows.get(jobId).job);
  scheduleRefresh();
}

/** Parses one server-sent event block ("event: x\ndata: {...}"). */
function onBlock(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length && type === 'message') return;
  let payload = null;
  try { payload = JSON.parse(data.join('\n')); } catch { payload = null; }
  onEvent(type, payload);
}

function reconnectLater() {
  if (schedulerStopped) {
    setLive('scheduler stopped', 'off');
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connectEvents, STOPPED_RETRY_MS);
    return;
  }
  const wait = backoffMs + Math.floor(Math.random() * 300);
  backoffMs = Math.min(backoffMs * 2, 30000);
  setLive('reconnecting in ' + Math.round(wait / 1000) + ' s…', 'off');
  clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(connectEvents, wait);
}

async function connectEvents() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  clearTimeout(reconnectTimer);
  setLive('connecting…', '');
  try {
    const res = await fetch(base + '/events', {
      headers: requestHeaders({ Accept: 'text/event-stream' }),
      cache: 'no-store',
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!res.ok || !res.body) {
      const error = await errorFrom(res);
      if (res.status === 401 || res.status === 403 || res.status === 404) {
        setLive('no live updates', 'off');
        if (res.status !== 404) showError(error, 'Live updates');
        return; // retried after signing in, or never (the route is off)
      }
      throw error;
    }
    setLive('live', 'on');
    backoffMs = 1000;
    scheduleRefresh(0); // events may have been missed while disconnected
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        onBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
    throw new Error('the event stream ended');
  } catch (error) {
    if (controller.signal.aborted || stream !== controller) return;
    reconnectLater();
  }
}
`;

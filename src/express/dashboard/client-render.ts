/**
 * Client script, part 2: formatting and rendering (scheduler facts, the job table, a job's
 * history). Every text goes through `textContent`; nothing is parsed as HTML.
 *
 * @internal
 * @module
 */

/** Browser JavaScript: `renderInfo()`, `renderJobs()`, `renderDetails()`, the time helpers. @internal */
export const CLIENT_RENDER_JS = String.raw`
/** Creates an element: props.text sets textContent, props.class the class, others attributes. */
function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children || []) if (child) node.append(child);
  return node;
}

function toDate(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const sameDay = (a, b) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
const TIME = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
const DATE_TIME = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** A local time: only the time today, else with the date. */
function localTime(date) {
  return sameDay(date, new Date()) ? date.toLocaleTimeString(undefined, TIME) : date.toLocaleString(undefined, DATE_TIME);
}

/** "in 4 min", "12 s ago", "now". */
function relative(date, now) {
  const diff = date.getTime() - now;
  const s = Math.round(Math.abs(diff) / 1000);
  if (s < 1) return 'now';
  let text;
  if (s < 60) text = s + ' s';
  else if (s < 3600) text = Math.round(s / 60) + ' min';
  else if (s < 36000) text = Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  else if (s < 172800) text = Math.round(s / 3600) + ' h';
  else text = Math.round(s / 86400) + ' d';
  return diff > 0 ? 'in ' + text : text + ' ago';
}

/** A span whose text is kept relative to now by tick(). */
function relSpan(date, className) {
  const span = el('span', { class: className || 'sub', 'data-at': String(date.getTime()), 'data-testid': 'relative' });
  span.textContent = relative(date, Date.now());
  return span;
}

function tick() {
  const now = Date.now();
  for (const span of document.querySelectorAll('[data-at]')) {
    const text = relative(new Date(Number(span.getAttribute('data-at'))), now);
    if (span.textContent !== text) span.textContent = text;
  }
}

function json(value, max) {
  let text;
  try { text = JSON.stringify(value); } catch { text = String(value); }
  if (text === undefined) text = String(value);
  return max && text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function badge(text, kind, testid) {
  return el('span', { class: 'badge ' + kind, text, 'data-testid': testid });
}

// ---- scheduler facts -------------------------------------------------------------------------
let info = null;
const canWrite = () => Boolean(info) && !info.readOnly && info.auth !== 'none';

function renderInfo(next) {
  info = next;
  const state = $('scheduler-state');
  state.textContent = info.state;
  state.className = 'badge ' + info.state;
  $('scheduler-timezone').textContent = info.timezone;
  $('scheduler-job-count').textContent = String(info.jobCount);
  $('scheduler-start').hidden = info.state !== 'stopped';
  $('scheduler-pause').hidden = info.state !== 'running';
  $('scheduler-resume').hidden = info.state !== 'paused';
  const writable = canWrite();
  for (const id of ['scheduler-start', 'scheduler-pause', 'scheduler-resume']) $(id).disabled = !writable;
  const note = $('write-note');
  note.hidden = writable;
  note.textContent = info.readOnly
    ? 'Read-only: this API does not accept changes.'
    : info.auth === 'none'
      ? 'Changes are disabled: the router was mounted without auth (configure auth, or pass auth: false).'
      : '';
  $('add-card').hidden = !writable;
  const held = $('scheduler-note');
  held.hidden = info.state === 'running';
  held.textContent = info.state === 'stopped'
    ? 'The scheduler is stopped: jobs are shown as stored and run once it starts. Stored jobs can be changed after the start; jobs added now wait for it.'
    : 'The scheduler is paused: no job runs until it resumes.';
  for (const row of rows.values()) if (row.job) updateRow(row, row.job);
}

// ---- the job table ---------------------------------------------------------------------------
const rows = new Map(); // job id -> { tr, details, cells, buttons, job }
const expanded = new Set();
const inFlight = new Map(); // job id -> runs submitted and not finished (from events)

function actionButton(testid, text, label, className) {
  return el('button', { type: 'button', 'data-testid': testid, class: className, 'aria-label': label, text });
}

function createRow(id) {
  const domId = 'job-details-' + rows.size + '-' + Math.random().toString(36).slice(2, 8);
  const toggle = el('button', { type: 'button', class: 'link', 'data-testid': 'job-toggle', 'aria-expanded': 'false', 'aria-controls': domId, text: '▸' });
  const cells = {
    job: el('td', { 'data-testid': 'job-name' }),
    task: el('td', { 'data-testid': 'job-task' }),
    trigger: el('td', { class: 'trigger', 'data-testid': 'job-trigger' }),
    next: el('td', { class: 'when', 'data-testid': 'job-next-run' }),
    state: el('td', { 'data-testid': 'job-state' }),
    outcome: el('td', { class: 'outcome', 'data-testid': 'job-outcome' }),
    actions: el('td', { class: 'actions' }),
  };
  const buttons = {
    pause: actionButton('job-pause', 'Pause'),
    resume: actionButton('job-resume', 'Resume'),
    run: actionButton('job-run', 'Run now'),
    remove: actionButton('job-remove', 'Remove', undefined, 'danger'),
  };
  cells.actions.append(buttons.pause, buttons.resume, buttons.run, buttons.remove);
  const tr = el('tr', { class: 'job', 'data-testid': 'job-row', 'data-job-id': id }, Object.values(cells));
  const detailsCell = el('td', { colspan: '7', 'data-testid': 'job-details-body' });
  const details = el('tr', { class: 'details', id: domId, 'data-testid': 'job-details', 'data-job-id': id, hidden: true }, [detailsCell]);
  const nameEl = el('strong', { 'data-testid': 'job-title' });
  const idEl = el('span', { class: 'sub mono', 'data-testid': 'job-id' });
  cells.job.append(toggle, nameEl, idEl);
  const row = { id, tr, details, detailsCell, toggle, nameEl, idEl, cells, buttons, job: null };
  toggle.addEventListener('click', () => toggleDetails(row));
  buttons.pause.addEventListener('click', () => jobAction(row, 'pause'));
  buttons.resume.addEventListener('click', () => jobAction(row, 'resume'));
  buttons.run.addEventListener('click', () => jobAction(row, 'run'));
  buttons.remove.addEventListener('click', () => jobAction(row, 'remove'));
  rows.set(id, row);
  return row;
}

function updateButtons(row) {
  const job = row.job;
  if (!job) return;
  const label = ' job ' + (job.name || job.id);
  row.buttons.pause.hidden = job.paused;
  row.buttons.resume.hidden = !job.paused;
  row.buttons.pause.setAttribute('aria-label', 'Pause' + label);
  row.buttons.resume.setAttribute('aria-label', 'Resume' + label);
  row.buttons.run.setAttribute('aria-label', 'Run now:' + label);
  row.buttons.remove.setAttribute('aria-label', 'Remove' + label);
  row.toggle.setAttribute('aria-label', (expanded.has(row.id) ? 'Hide' : 'Show') + ' details and history of' + label);
  // While stopped, only pending jobs can change: stored ones are read from closed stores.
  const writable = canWrite() && !(info.state === 'stopped' && !job.pending);
  for (const button of Object.values(row.buttons)) if (!button.hasAttribute('data-busy')) button.disabled = !writable;
}

function outcomeNodes(record) {
  if (!record) return [el('span', { class: 'sub', text: 'no runs yet' })];
  const nodes = [badge(record.status, record.status, 'outcome-status')];
  const at = toDate(record.finishedAt) || toDate(record.startedAt) || toDate(record.scheduledRunTime);
  if (at) {
    nodes.push(el('span', { class: 'sub' }, [el('span', { text: localTime(at) + ' · ' }), relSpan(at, 'rel')]));
  }
  if (record.error) nodes.push(el('span', { class: 'err-text', 'data-testid': 'outcome-error', text: record.error }));
  return nodes;
}

function updateRow(row, job) {
  row.job = job;
  const c = row.cells;
  row.nameEl.textContent = job.name || job.id;
  row.idEl.textContent = job.id;
  row.idEl.hidden = !job.name || job.name === job.id;
  c.task.replaceChildren(el('code', { text: job.task }));
  if (Array.isArray(job.args) && job.args.length) c.task.append(el('span', { class: 'sub mono', text: 'args ' + json(job.args, 60) }));
  c.trigger.textContent = job.trigger && job.trigger.description ? job.trigger.description : json(job.trigger && job.trigger.spec, 120);
  const next = toDate(job.nextRunTime);
  if (next) c.next.replaceChildren(el('span', { text: localTime(next) }), relSpan(next));
  else c.next.replaceChildren(el('span', { text: '—' }), el('span', { class: 'sub', text: job.paused ? 'paused' : 'no next run' }));
  const states = [job.paused ? badge('paused', 'paused', 'state-badge') : badge(job.pending ? 'pending' : 'active', 'active', 'state-badge')];
  // A job that would run, but its scheduler does not run jobs now.
  const held = !job.paused && !job.pending && info && info.state !== 'running';
  if (held) states.push(' ', badge(info.state === 'stopped' ? 'scheduler stopped' : 'scheduler paused', 'paused', 'held-badge'));
  if (inFlight.get(job.id) > 0) states.push(' ', badge('running', 'busy', 'running-badge'));
  c.state.replaceChildren(...states);
  c.outcome.replaceChildren(...outcomeNodes(job.lastOutcome));
  updateButtons(row);
}

function renderJobs(jobs) {
  const body = $('jobs-body');
  const seen = new Set();
  for (const job of jobs) {
    seen.add(job.id);
    // The server's count is the truth as of this fetch (runs started before the page loaded
    // too); events adjust it until the next one.
    if (Array.isArray(job.running)) inFlight.set(job.id, job.running.length);
    const row = rows.get(job.id) || createRow(job.id);
    updateRow(row, job);
    body.append(row.tr, row.details); // append moves existing rows into the API's order
  }
  for (const [id, row] of rows) {
    if (seen.has(id)) continue;
    row.tr.remove();
    row.details.remove();
    rows.delete(id);
    expanded.delete(id);
  }
  $('jobs-empty').hidden = jobs.length > 0;
}

// ---- details: a job's settings and run history ------------------------------------------------
function kv(entries) {
  const dl = el('dl', { class: 'kv' });
  for (const [key, value] of entries) dl.append(el('div', {}, [el('dt', { text: key }), el('dd', { class: 'mono', text: value })]));
  return dl;
}

const secondsOrNone = (value) => (value === null || value === undefined ? 'none' : value + ' s');

function renderDetails(row, job) {
  const cell = row.detailsCell;
  const facts = kv([
    ['id', job.id],
    ['trigger', json(job.trigger && job.trigger.spec)],
    ['args', json(job.args || [])],
    ['store / executor', job.store + ' / ' + job.executor],
    ['coalesce', String(job.coalesce)],
    ['max instances', String(job.maxInstances)],
    ['misfire grace', secondsOrNone(job.misfireGraceTime)],
    ['jitter', secondsOrNone(job.jitter)],
    ['timeout', secondsOrNone(job.timeout)],
  ]);
  const times = Array.isArray(job.upcoming) ? job.upcoming.map(toDate).filter(Boolean) : [];
  const next = times.length
    ? [el('strong', { text: 'Next runs' }), el('ol', { class: 'upcoming', 'data-testid': 'upcoming' }, times.map((date) => el('li', { text: localTime(date) })))]
    : [];
  const history = Array.isArray(job.history) ? job.history : [];
  const heading = el('strong', { text: 'Run history' + (history.length ? ' (latest ' + history.length + ', newest first)' : '') });
  if (!history.length) {
    cell.replaceChildren(facts, ...next, heading, el('p', { class: 'sub', 'data-testid': 'history-empty', text: 'No runs yet.' }));
    return;
  }
  const head = el('tr', {}, ['Outcome', 'Scheduled for', 'Started', 'Finished', 'Duration', 'Error'].map((t) => el('th', { scope: 'col', text: t })));
  const body = el('tbody');
  for (const run of history) {
    const cellTime = (iso) => {
      const date = toDate(iso);
      return el('td', { text: date ? localTime(date) : '—' });
    };
    body.append(el('tr', { 'data-testid': 'history-row', 'data-status': run.status }, [
      el('td', {}, [badge(run.status, run.status)]),
      cellTime(run.scheduledRunTime),
      cellTime(run.startedAt),
      cellTime(run.finishedAt),
      el('td', { text: typeof run.durationMs === 'number' ? run.durationMs + ' ms' : '—' }),
      el('td', { class: 'err-text', text: run.error || '' }),
    ]));
  }
  cell.replaceChildren(facts, ...next, heading, el('table', { class: 'history', 'data-testid': 'history-table' }, [el('thead', {}, [head]), body]));
}
`;

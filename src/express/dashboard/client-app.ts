/**
 * Client script, part 4: behaviour (refreshing, the buttons, the forms) and start-up.
 *
 * @internal
 * @module
 */

/** Browser JavaScript: refreshing, the actions, the forms and start-up. @internal */
export const CLIENT_APP_JS = String.raw`
// ---- refreshing ------------------------------------------------------------------------------
let refreshTimer = null;
let refreshing = null;
let refreshAgain = false;

/** Refetches the facts and the job list soon; bursts of events collapse into one refetch. */
function scheduleRefresh(delay) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void refresh();
  }, delay === undefined ? 150 : delay);
}

// ---- the list: one page of jobs at a time, by id unless the user sorts it otherwise, so rows keep
// their place as jobs run (by next run, rows move as runs happen: the user asked for that order) --
const PAGE_SIZE = 100;
const list = { cursors: [null], index: 0, next: null, total: 0, q: '', state: '', sort: 'id' };

function listPath() {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), sort: list.sort });
  const cursor = list.cursors[list.index];
  if (cursor) params.set('cursor', cursor);
  if (list.q) params.set('q', list.q);
  if (list.state) params.set('state', list.state);
  return '/jobs?' + params.toString();
}

function renderPager(page) {
  list.next = page.nextCursor;
  list.total = page.total;
  const first = list.index * PAGE_SIZE;
  // A page emptied by removals (the last jobs of the last page): go back one.
  if (!page.jobs.length && list.index > 0) {
    list.index--;
    scheduleRefresh(0);
  }
  $('pager').hidden = page.total <= PAGE_SIZE && list.index === 0;
  $('page-range').textContent = page.jobs.length ? (first + 1) + '–' + (first + page.jobs.length) + ' of ' + page.total : '0 of ' + page.total;
  $('page-prev').disabled = list.index === 0;
  $('page-next').disabled = !page.nextCursor;
  const filtered = list.q || list.state;
  $('jobs-count').textContent = '(' + page.total + (filtered ? ' found' : '') + ')';
  $('jobs-empty').textContent = filtered ? 'No job matches.' : 'No jobs scheduled.';
}

function goToPage(step) {
  if (step > 0 && list.next) {
    list.cursors.length = list.index + 1;
    list.cursors.push(list.next);
    list.index++;
  } else if (step < 0 && list.index > 0) {
    list.index--;
  } else return;
  scheduleRefresh(0);
}

let filterTimer = null;
function onFilterChange() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    list.q = $('list-q').value.trim();
    list.state = $('list-state').value;
    list.sort = $('list-sort').value;
    list.cursors = [null];
    list.index = 0;
    scheduleRefresh(0);
  }, 200);
}

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const path = listPath();
      const [facts, page] = await Promise.all([api('GET', '/'), api('GET', path)]);
      renderInfo(facts);
      // The user paged, sorted or filtered while this page was on its way: a refresh for the new
      // list is already scheduled, and this page would show under the wrong range.
      if (path === listPath()) {
        renderJobs(page.jobs);
        renderPager(page);
      }
      await Promise.all([...expanded].map((id) => loadDetails(id)));
    } catch (error) {
      showError(error, 'Could not load the jobs');
    }
  })();
  await refreshing;
  refreshing = null;
  if (refreshAgain) {
    refreshAgain = false;
    await refresh();
  }
}

async function loadDetails(id) {
  const row = rows.get(id);
  if (!row) return;
  try {
    const job = await api('GET', '/jobs/' + encodeURIComponent(id));
    if (rows.get(id) === row && expanded.has(id)) renderDetails(row, job);
  } catch (error) {
    if (error.code === 'ERR_JOB_NOT_FOUND') return; // removed meanwhile; the next refresh drops the row
    showError(error, 'Could not load the history of job "' + id + '"');
  }
}

function toggleDetails(row) {
  const open = !expanded.has(row.id);
  if (open) expanded.add(row.id);
  else expanded.delete(row.id);
  row.details.hidden = !open;
  row.toggle.textContent = open ? '▾' : '▸';
  row.toggle.setAttribute('aria-expanded', String(open));
  updateButtons(row);
  if (open) {
    row.detailsCell.replaceChildren(el('span', { class: 'sub', text: 'Loading…' }));
    void loadDetails(row.id);
  }
}

// ---- actions ---------------------------------------------------------------------------------
const ACTIONS = {
  pause: { verb: 'pause', request: (path) => api('POST', path + '/pause') },
  resume: { verb: 'resume', request: (path) => api('POST', path + '/resume') },
  run: { verb: 'run', request: (path) => api('POST', path + '/run') },
  remove: { verb: 'remove', request: (path) => api('DELETE', path) },
};

async function jobAction(row, name) {
  const job = row.job;
  const label = job.name || job.id;
  if (name === 'remove' && !confirm('Remove job "' + label + '"? This cannot be undone.')) return;
  const button = row.buttons[name];
  button.disabled = true;
  button.setAttribute('data-busy', '');
  clearError();
  try {
    await ACTIONS[name].request('/jobs/' + encodeURIComponent(job.id));
    announce(name === 'run' ? 'Job "' + label + '" submitted to run now.' : 'Job "' + label + '": ' + name + 'd.');
  } catch (error) {
    showError(error, 'Could not ' + ACTIONS[name].verb + ' job "' + label + '"');
  } finally {
    button.removeAttribute('data-busy');
    updateButtons(row);
    scheduleRefresh(0);
  }
}

async function schedulerAction(name) {
  clearError();
  try {
    renderInfo(await api('POST', '/' + name));
    announce('Scheduler: ' + name + (name === 'start' ? 'ed.' : 'd.'));
  } catch (error) {
    showError(error, 'Could not ' + name + ' the scheduler');
  }
  scheduleRefresh(0);
}

let announceTimer = null;
/** Says what an action did, in a polite status region, for a few seconds. */
function announce(text) {
  $('action-status').textContent = text;
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { $('action-status').textContent = ''; }, 6000);
}

// ---- the add form ----------------------------------------------------------------------------
const KINDS = {
  cron: { label: 'Cron expression', type: 'text', placeholder: '*/5 * * * *' },
  interval: { label: 'Every (seconds)', type: 'number', placeholder: '30' },
  date: { label: 'Run at (local time)', type: 'datetime-local', placeholder: '' },
};

// ---- a live preview of the next fire times while a trigger is typed ---------------------------
let previewTimer = null;
let previewSeq = 0;

function onValueInput() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void showPreview(), 300);
}

async function showPreview() {
  const out = $('add-preview');
  const kind = $('add-kind').value;
  const value = $('add-value').value.trim();
  const seq = ++previewSeq;
  if (!value) {
    out.textContent = '';
    return;
  }
  const trigger = triggerFrom(kind, value);
  const text = typeof trigger === 'string' ? trigger : JSON.stringify(trigger);
  try {
    const preview = await api('GET', '/preview?' + new URLSearchParams({ trigger: text }).toString());
    if (seq !== previewSeq) return; // a newer keystroke won
    const times = (preview.upcoming || []).map(toDate).filter(Boolean).map(localTime);
    out.className = 'preview';
    out.textContent = times.length ? 'Next: ' + times.join(' · ') : 'It never fires again.';
  } catch (error) {
    if (seq !== previewSeq) return;
    out.className = 'preview bad';
    out.textContent = error.message || String(error);
  }
}

function onKindChange() {
  $('add-preview').textContent = '';
  const kind = KINDS[$('add-kind').value] || KINDS.cron;
  const input = $('add-value');
  $('add-value-label').textContent = kind.label;
  input.value = '';
  input.type = kind.type;
  input.placeholder = kind.placeholder;
  if (kind.type === 'number') { input.min = '0'; input.step = 'any'; } else { input.removeAttribute('min'); input.removeAttribute('step'); }
  if (kind.type === 'datetime-local') input.step = '1';
}

/** The trigger for the form's kind and value; the server validates it (and names the field). */
function triggerFrom(kind, value) {
  if (kind === 'interval') {
    const seconds = Number(value);
    return { type: 'interval', seconds: value !== '' && Number.isFinite(seconds) ? seconds : value };
  }
  if (kind === 'date') {
    const date = new Date(value); // datetime-local: wall time in this browser's zone
    return { type: 'date', runDate: Number.isNaN(date.getTime()) ? value : date.toISOString() };
  }
  return value; // a crontab string (5 or 6 fields, or a nickname such as @hourly)
}

/**
 * A date that has passed is refused unless confirmed: the scheduler would run such a job at once
 * while within its misfire grace time, or else drop it as missed.
 */
function confirmPastDate(trigger) {
  if (!trigger || trigger.type !== 'date') return true;
  const at = toDate(trigger.runDate);
  if (!at || at.getTime() > Date.now()) return true;
  const ok = confirm(localTime(at) + ' has passed. Run the job once, now, if it is still within its misfire grace time (otherwise it is dropped as missed)?');
  if (!ok) showError(new ApiError(0, 'ERR_CLIENT_PAST_DATE', 'The run date ' + localTime(at) + ' has passed: choose a later one.', { field: 'trigger.runDate' }), 'Could not add the job');
  return ok;
}

async function onAddSubmit(event) {
  event.preventDefault();
  clearError();
  const form = $('add-form');
  const data = new FormData(form);
  const text = (name) => String(data.get(name) || '').trim();
  const body = { task: text('task'), trigger: triggerFrom(text('kind'), text('value')) };
  if (text('id')) body.id = text('id');
  if (text('name')) body.name = text('name');
  if (text('args')) {
    try {
      body.args = JSON.parse(text('args'));
    } catch (e) {
      showError(new ApiError(0, 'ERR_CLIENT_INVALID_JSON', 'Args must be JSON, e.g. ["a", 1] (' + e.message + ').', { field: 'args' }), 'Could not add the job');
      return;
    }
  }
  if (!confirmPastDate(body.trigger)) return;
  const submit = $('add-submit');
  submit.disabled = true;
  try {
    const job = await api('POST', '/jobs', body);
    for (const name of ['id', 'name', 'value', 'args']) form.elements[name].value = '';
    announce('Job "' + (job.name || job.id) + '" added.');
  } catch (error) {
    // The API's hint (replaceExisting) is not something this form can send.
    const shown = error.code === 'ERR_CONFLICTING_ID'
      ? new ApiError(error.status, error.code, 'A job with id ' + JSON.stringify(body.id) + ' already exists: choose another id, or leave it empty.', { field: 'id' })
      : error;
    showError(shown, 'Could not add the job');
  } finally {
    submit.disabled = false;
    scheduleRefresh(0);
  }
}

async function loadTasks() {
  const select = $('add-task');
  try {
    const { tasks } = await api('GET', '/tasks');
    const chosen = select.value;
    select.replaceChildren(...tasks.map((name) => el('option', { value: name, text: name })));
    if (!tasks.length) select.append(el('option', { value: '', text: 'no registered tasks', disabled: true }));
    if (tasks.includes(chosen)) select.value = chosen;
  } catch (error) {
    showError(error, 'Could not load the task names');
  }
}

// ---- start-up --------------------------------------------------------------------------------
function start() {
  void loadTasks();
  void refresh();
  void connectEvents();
}

$('alert-dismiss').addEventListener('click', clearError);
$('scheduler-start').addEventListener('click', () => schedulerAction('start'));
$('scheduler-pause').addEventListener('click', () => schedulerAction('pause'));
$('scheduler-resume').addEventListener('click', () => schedulerAction('resume'));
$('add-kind').addEventListener('change', onKindChange);
$('add-value').addEventListener('input', onValueInput);
$('list-q').addEventListener('input', onFilterChange);
$('list-state').addEventListener('change', onFilterChange);
$('list-sort').addEventListener('change', onFilterChange);
$('list-tools').addEventListener('submit', (event) => event.preventDefault());
$('page-prev').addEventListener('click', () => goToPage(-1));
$('page-next').addEventListener('click', () => goToPage(1));
$('add-form').addEventListener('submit', onAddSubmit);
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token-input').value.trim();
  if (!value) return;
  writeToken(value);
  $('token-input').value = '';
  $('token-card').hidden = true;
  clearError();
  start();
});
setInterval(tick, 1000);
setInterval(() => scheduleRefresh(), 30000); // a safety net; events drive the normal updates
start();
`;

/**
 * Client script, part 1: talking to the API (base path, bearer token, JSON requests, errors).
 * Plain browser JavaScript kept as a string; `client.ts` joins the parts into one script.
 *
 * @internal
 * @module
 */

/** Browser JavaScript: `base`, `api()`, `ApiError`, the token and the error alert. @internal */
export const CLIENT_API_JS = String.raw`
// Express matches paths case-insensitively: /Scheduler/Dashboard/ serves this page too.
const base = location.pathname.replace(/\/dashboard\/?$/i, '');
const TOKEN_KEY = 'timetable.token:' + base;
const $ = (testid, root) => (root || document).querySelector('[data-testid="' + testid + '"]');

function readToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}
function writeToken(value) {
  try { if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY); } catch { /* storage off */ }
}
function requestHeaders(extra) {
  const headers = Object.assign({ Accept: 'application/json' }, extra || {});
  const token = readToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  return headers;
}

class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details && typeof details === 'object' ? details : undefined;
  }
}

/** Reads an error response into an ApiError (the API's { error: { code, message, details } } body). */
async function errorFrom(res) {
  let body = null;
  try { body = JSON.parse(await res.text()); } catch { body = null; }
  const err = body && typeof body.error === 'object' && body.error ? body.error : {};
  const code = typeof err.code === 'string' ? err.code : 'HTTP_' + res.status;
  const message = typeof err.message === 'string' && err.message ? err.message : res.status + ' ' + (res.statusText || 'error');
  const error = new ApiError(res.status, code, message, err.details);
  if (res.status === 401) unauthorized(res, error);
  return error;
}

/** One JSON request to the API; resolves with the parsed body (null for 204), throws ApiError. */
async function api(method, path, body) {
  const init = { method, cache: 'no-store', credentials: 'same-origin' };
  init.headers = requestHeaders(body === undefined ? null : { 'Content-Type': 'application/json' });
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(base + path, init);
  } catch (e) {
    throw new ApiError(0, 'ERR_NETWORK', 'The scheduler cannot be reached (' + (e && e.message ? e.message : e) + ').');
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** A 401: ask for a bearer token unless the browser handles the challenge (Basic) itself. */
function unauthorized(res, error) {
  if (error.code === 'ERR_AUTH_REQUIRED') return; // writes disabled on the server: the message says why
  const challenge = res.headers.get('WWW-Authenticate') || '';
  if (/^\s*basic/i.test(challenge)) {
    error.message += ' Reload the page to sign in again.';
    return;
  }
  writeToken(null);
  if (!$('token-card').hidden) return;
  $('token-card').hidden = false;
  $('token-input').focus();
}

// ---- the error alert -------------------------------------------------------------------------
const FIELD_INPUTS = { task: 'add-task', id: 'add-id', name: 'add-name', args: 'add-args', trigger: 'add-value' };

function showError(error, context) {
  // A success message of an earlier action must not stand next to this error.
  $('action-status').textContent = '';
  const alert = $('alert');
  const details = error.details || {};
  const field = typeof details.field === 'string' ? details.field : null;
  $('alert-message').textContent = (context ? context + ': ' : '') + (error.message || String(error));
  const meta = [];
  if (error.code) meta.push('code ' + error.code);
  if (field) meta.push('field ' + field);
  if ('value' in details) {
    let shown;
    try { shown = JSON.stringify(details.value); } catch { shown = String(details.value); }
    if (shown !== undefined) meta.push('value ' + (shown.length > 80 ? shown.slice(0, 77) + '…' : shown));
  }
  if (Array.isArray(details.issues)) {
    for (const issue of details.issues.slice(0, 3)) {
      if (!issue || typeof issue.message !== 'string') continue;
      const at = typeof issue.field === 'string' ? issue.field : Array.isArray(issue.path) ? issue.path.join('.') : '';
      if (!error.message.includes(issue.message)) meta.push((at ? at + ': ' : '') + issue.message);
    }
  }
  $('alert-meta').textContent = meta.join(' · ');
  alert.hidden = false;
  markInvalid(field);
}

function clearError() {
  $('alert').hidden = true;
  $('alert-message').textContent = '';
  $('alert-meta').textContent = '';
  markInvalid(null);
}

/** Marks the add-form input that a field path points at (trigger.*, cron.*, args.0, ...). */
function markInvalid(field) {
  for (const id of Object.values(FIELD_INPUTS)) $(id).removeAttribute('aria-invalid');
  if (!field) return;
  const head = field.split(/[.[]/)[0];
  const key = Object.hasOwn(FIELD_INPUTS, head) ? head : /^(cron|interval|date|calendarinterval|and|or)$/.test(head) ? 'trigger' : null;
  if (key) $(FIELD_INPUTS[key]).setAttribute('aria-invalid', 'true');
}
`;

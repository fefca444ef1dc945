/**
 * The dashboard's HTML skeleton. Every dynamic part is filled in by the client script with
 * `textContent`, so the server never interpolates data into markup: the only value inserted
 * here is the per-response CSP nonce.
 *
 * @internal
 * @module
 */
import { DASHBOARD_CLIENT_JS } from './client.js';
import { DASHBOARD_CSS } from './styles.js';

/** The page's body markup (static). @internal */
const BODY = `
<header class="top">
  <h1>timetable <span>scheduler</span></h1>
  <div class="facts" aria-live="polite" data-testid="scheduler-status">
    <span>state <span class="badge" data-testid="scheduler-state">loading…</span></span>
    <span>zone <b data-testid="scheduler-timezone">–</b></span>
    <span>jobs <b data-testid="scheduler-job-count">–</b></span>
    <span class="live" data-testid="live-status">connecting…</span>
  </div>
  <div class="spacer"></div>
  <div>
    <button type="button" data-testid="scheduler-start" hidden>Start scheduler</button>
    <button type="button" data-testid="scheduler-pause" hidden>Pause scheduler</button>
    <button type="button" data-testid="scheduler-resume" hidden>Resume scheduler</button>
  </div>
</header>
<main>
  <div class="alert" data-testid="alert" hidden>
    <div class="msg" role="alert">
      <div data-testid="alert-message"></div>
      <div class="meta" data-testid="alert-meta"></div>
    </div>
    <button type="button" class="link" data-testid="alert-dismiss" aria-label="Dismiss the error">Dismiss</button>
  </div>

  <section class="card" data-testid="token-card" hidden aria-labelledby="token-title">
    <h2 id="token-title">Sign in</h2>
    <p class="note">The scheduler API asks for a bearer token. It is kept in this tab only (sessionStorage).</p>
    <form class="token" data-testid="token-form">
      <label>Token <input type="password" name="token" class="wide" autocomplete="off" required data-testid="token-input"></label>
      <button type="submit" class="primary" data-testid="token-submit">Use token</button>
    </form>
  </section>

  <section class="card" aria-labelledby="jobs-title">
    <h2 id="jobs-title">Jobs <span class="count" data-testid="jobs-count"></span></h2>
    <p class="note" data-testid="write-note" hidden></p>
    <p class="note" data-testid="scheduler-note" hidden></p>
    <p class="note status" role="status" data-testid="action-status"></p>
    <form class="list-tools" data-testid="list-tools" role="search">
      <label>Find <input type="search" id="list-q" data-testid="list-q" maxlength="200" placeholder="id or name" autocomplete="off"></label>
      <label>State <select id="list-state" data-testid="list-state">
        <option value="">all</option><option value="active">active</option><option value="running">running</option>
        <option value="paused">paused</option><option value="pending">pending</option>
      </select></label>
      <label>Sort <select id="list-sort" data-testid="list-sort">
        <option value="id">by id (rows stay put)</option><option value="nextRun">by next run</option><option value="name">by name</option>
      </select></label>
    </form>
    <div class="table-wrap">
      <table data-testid="jobs-table">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Task</th>
            <th scope="col">Trigger</th>
            <th scope="col">Next run</th>
            <th scope="col">State</th>
            <th scope="col">Last outcome</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody data-testid="jobs-body"></tbody>
      </table>
    </div>
    <div class="empty" data-testid="jobs-empty" hidden>No jobs scheduled.</div>
    <nav class="pager" data-testid="pager" aria-label="Pages of jobs" hidden>
      <button type="button" id="page-prev" data-testid="page-prev">‹ Previous</button>
      <span data-testid="page-range"></span>
      <button type="button" id="page-next" data-testid="page-next">Next ›</button>
    </nav>
  </section>

  <section class="card" aria-labelledby="add-title" data-testid="add-card">
    <h2 id="add-title">Add a job</h2>
    <form class="add" data-testid="add-form" novalidate>
      <label>Task <select name="task" required data-testid="add-task"></select></label>
      <label>Id <input name="id" placeholder="optional" autocomplete="off" data-testid="add-id"></label>
      <label>Name <input name="name" placeholder="optional" autocomplete="off" data-testid="add-name"></label>
      <label>Trigger
        <select name="kind" data-testid="add-kind">
          <option value="cron">cron expression</option>
          <option value="interval">interval (seconds)</option>
          <option value="date">once, at a date</option>
        </select>
      </label>
      <label><span data-testid="add-value-label">Cron expression</span>
        <input name="value" class="wide" required autocomplete="off" placeholder="*/5 * * * *" data-testid="add-value">
      </label>
      <label>Args (JSON array) <input name="args" class="wide" placeholder='optional, e.g. ["a", 1]' autocomplete="off" data-testid="add-args"></label>
      <button type="submit" class="primary" data-testid="add-submit">Add job</button>
      <p class="preview" data-testid="add-preview" aria-live="polite"></p>
    </form>
  </section>
</main>
<footer>Times are shown in this browser's time zone. Updates arrive live from the scheduler's event stream.</footer>
`;

/**
 * The complete page with `nonce` on its only style and script elements.
 * @param nonce - a fresh base64 nonce, also named by the response's Content-Security-Policy
 * @internal
 */
export function renderDashboard(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>timetable · scheduler dashboard</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${DASHBOARD_CSS}</style>
</head>
<body>${BODY}
<script nonce="${nonce}">${DASHBOARD_CLIENT_JS}</script>
</body>
</html>
`;
}

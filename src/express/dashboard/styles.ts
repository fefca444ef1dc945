/**
 * The dashboard's style sheet: a light theme on the system font stack, no external resources.
 * Served inline under the page's CSP nonce (no `style` attributes anywhere in the page).
 *
 * @internal
 * @module
 */

/** The CSS of the dashboard page. @internal */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light;
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --bg: #ffffff;
  --accent: #0b57d0; --accent-soft: #e8f0fe;
  --ok: #1a7f37; --ok-soft: #dafbe1; --err: #cf222e; --err-soft: #ffebe9;
  --warn: #9a6700; --warn-soft: #fff8c5; --idle: #59636e; --idle-soft: #eef1f4;
  --run: #8250df; --run-soft: #fbefff;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font-size: 14px; }
body {
  margin: 0; color: var(--fg); background: var(--soft);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  line-height: 1.45;
}
code, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1.25rem;
  padding: 0.8rem 1.5rem; background: var(--bg); border-bottom: 1px solid var(--line);
}
header.top h1 { font-size: 1.15rem; margin: 0; letter-spacing: 0.01em; }
header.top h1 span { color: var(--muted); font-weight: 400; }
.facts { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; color: var(--muted); align-items: center; }
.facts b { color: var(--fg); font-weight: 600; }
.spacer { flex: 1; }
main { max-width: 1400px; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
section.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 1rem; }
section.card > h2 { font-size: 1rem; margin: 0; padding: 0.7rem 1rem; border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 0.6rem; }
section.card > h2 .count { color: var(--muted); font-weight: 400; }
.list-tools { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin: 0; padding: 0.6rem 1rem; border-bottom: 1px solid var(--line); }
.list-tools label { display: flex; align-items: center; gap: 0.4rem; }
.pager { display: flex; align-items: center; gap: 0.8rem; padding: 0.6rem 1rem; border-top: 1px solid var(--line); }
.note { color: var(--muted); padding: 0.5rem 1rem; margin: 0; }
.note:empty { display: none; }
.note.status { color: var(--ok); }
button {
  font: inherit; cursor: pointer; border: 1px solid var(--line); background: var(--bg); color: var(--fg);
  border-radius: 6px; padding: 0.2rem 0.6rem; line-height: 1.4;
}
button:hover:not(:disabled) { background: var(--soft); border-color: #afb8c1; }
button:disabled { cursor: not-allowed; opacity: 0.5; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover:not(:disabled) { background: #0842a0; }
button.danger { color: var(--err); }
button.danger:hover:not(:disabled) { background: var(--err-soft); border-color: var(--err); }
button.link { border: none; background: none; color: var(--accent); padding: 0 0.2rem; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.badge {
  display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.85em; font-weight: 600;
  background: var(--idle-soft); color: var(--idle); white-space: nowrap;
}
.badge.running, .badge.ok, .badge.active { background: var(--ok-soft); color: var(--ok); }
.badge.paused, .badge.missed { background: var(--warn-soft); color: var(--warn); }
.badge.stopped, .badge.error { background: var(--err-soft); color: var(--err); }
.badge.skipped { background: var(--idle-soft); color: var(--idle); }
.badge.busy { background: var(--run-soft); color: var(--run); }
.live { font-size: 0.85em; color: var(--muted); display: inline-flex; align-items: center; gap: 0.35rem; }
.live::before { content: ""; width: 0.55rem; height: 0.55rem; border-radius: 50%; background: #afb8c1; }
.live.on::before { background: var(--ok); }
.live.off::before { background: var(--err); }
.alert {
  margin-bottom: 1rem; border: 1px solid var(--err); background: var(--err-soft); color: #82071e;
  border-radius: 8px; padding: 0.6rem 1rem; display: flex; gap: 1rem; align-items: flex-start;
}
.alert:empty, .alert[hidden] { display: none; }
.alert .msg { flex: 1; }
.alert .meta { color: var(--muted); font-size: 0.9em; }
.table-wrap { overflow-x: auto; position: relative; } /* keeps .visually-hidden headers inside */
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 0.85em; color: var(--muted); font-weight: 600; background: var(--soft); white-space: nowrap; }
tr.job:hover > td { background: #fafbfc; }
tr.job:last-child > td, tr.details:last-child > td { border-bottom: none; }
td .sub { display: block; color: var(--muted); font-size: 0.88em; }
td.trigger { min-width: 9rem; max-width: 22rem; overflow-wrap: break-word; }
td.outcome .err-text { display: block; color: var(--err); font-size: 0.88em; max-width: 18rem; overflow-wrap: anywhere; }
td.actions, td.when { white-space: nowrap; }
td.actions button { margin: 0 0.15rem 0.2rem 0; }
tr.details > td { background: var(--soft); padding: 0.75rem 1rem 1rem 2.5rem; }
.kv { display: flex; flex-wrap: wrap; gap: 0.3rem 1.5rem; margin: 0 0 0.75rem; }
.kv > div { display: flex; gap: 0.4rem; align-items: baseline; min-width: 0; }
.kv dt { color: var(--muted); font-size: 0.9em; }
.kv dd { margin: 0; overflow-wrap: anywhere; }
table.history { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
table.history th, table.history td { padding: 0.3rem 0.6rem; font-size: 0.92em; }
.empty { color: var(--muted); padding: 1rem; text-align: center; }
.preview { flex: 1 1 100%; margin: 0; color: var(--muted); font-size: 0.9em; }
.preview:empty { display: none; }
.preview.bad { color: var(--err); }
.upcoming { margin: 0 0 0.75rem; padding-left: 1.2rem; }
form.add { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; padding: 0.8rem 1rem 1rem; align-items: flex-end; }
form.add label, form.token label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85em; color: var(--muted); font-weight: 600; }
input, select {
  font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.3rem 0.5rem; min-width: 9rem;
}
input.wide { min-width: 16rem; }
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--err); background: var(--err-soft); }
::placeholder { color: #8c959f; font-style: italic; opacity: 1; }
form.token { display: flex; gap: 0.75rem; align-items: flex-end; padding: 0.8rem 1rem 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { color: var(--muted); font-size: 0.85em; text-align: center; padding: 0 1rem 1.5rem; }
/* A phone: nothing wider than the screen; the job table scrolls inside its card. */
@media (max-width: 640px) {
  header.top { padding: 0.6rem 0.75rem; }
  main { padding: 0.6rem 0.5rem 1.5rem; }
  input, select, input.wide { min-width: 0; width: 100%; }
  form.add > label, .list-tools > label, form.token > label { flex: 1 1 100%; }
  form.add, form.token { flex-wrap: wrap; }
  tr.details > td { padding-left: 1rem; }
  .alert { flex-wrap: wrap; }
}
`;

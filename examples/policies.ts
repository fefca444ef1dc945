/**
 * Run policies made visible: what coalescing and the misfire grace time do when a job falls
 * behind, and what jitter does to start times. A VirtualClock drives the scheduler, so the
 * simulated seconds pass instantly and the output (apart from the random jitter) is the same
 * on every run.
 *
 * Run:  npx tsx examples/policies.ts
 * See:  for an every-second job frozen for 10 s (slots +1s ... +10s due at once), which slots
 *       each policy runs and which it reports as missed, and that the schedule afterwards is
 *       back on its grid (+11s, +12s); then a jittered job whose runs start a random 0-4 s
 *       after their slots while the slots themselves stay every 10 s. Runs instantly.
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { Scheduler, type AddJobOptions, type JobContext } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (time: Date | number) => `+${(Number(time) - T0) / 1000}s`;

async function stall(title: string, options: AddJobOptions): Promise<void> {
  const clock = new VirtualClock(T0);
  const scheduler = new Scheduler({ clock, timezone: 'UTC' });
  const catchUp: string[] = [];
  const after: string[] = [];
  const missed: string[] = [];
  scheduler.on('job:missed', (e) => missed.push(at(e.scheduledRunTime)));
  // scheduledRunTimes lists every slot a coalesced run stands for.
  scheduler.on('job:submitted', (e) => {
    const slots = e.scheduledRunTimes.length;
    if (clock.now() - T0 > 10_000) after.push(at(e.scheduledRunTime));
    else catchUp.push(slots > 1 ? `${at(e.scheduledRunTime)} (standing for ${slots} slots)` : at(e.scheduledRunTime));
  });
  await scheduler.addJob(() => undefined, { type: 'interval', seconds: 1 }, options);
  await scheduler.start();
  await clock.advance(999); // the +1s run is prepared, a few ms ahead

  // The process freezes just before +1s (a laptop lid closed, a VM paused, a blocked event
  // loop): jump() moves the wall clock without firing timers, so the timer armed for +1 s fires
  // only when it reads +10 s; the prepared run no longer holds, and ten slots are due at once.
  clock.jump(9_000);
  await clock.advance(1);
  await clock.advance(2_000); // then two ordinary seconds
  await scheduler.shutdown();

  console.log(title);
  console.log(`  ran:    ${catchUp.length} run(s): ${catchUp.join(' ')}`);
  if (missed.length > 0) console.log(`  missed: ${missed.length} slot(s): ${missed.join(' ')}  (one job:missed each)`);
  console.log(`  then:   ${after.join(' ')}`);
}

console.log('An every-second job; slots +1s ... +10s fall due at once at +10s.\n');
await stall("coalesce 'latest' (the default): one run, for the newest slot", {});
await stall("coalesce 'earliest': one run, for the oldest slot", { coalesce: 'earliest' });
await stall("coalesce 'all': every slot, one after another", { coalesce: 'all' });
// The grace time is per slot: a slot more than 3 s late at +10s (+1s ... +6s) is missed; the
// slots left are then coalesced as usual.
await stall("misfireGraceTime 3 + coalesce 'all'", { misfireGraceTime: 3, coalesce: 'all' });
await stall("misfireGraceTime 3 + coalesce 'latest'", { misfireGraceTime: 3 });

// Jitter: a random delay in [0, jitter] seconds added to each run's start, e.g. so a fleet of
// processes does not hit a server at the same instant. It never reaches the next slot, and it
// never accumulates: the next slot comes from the schedule, not from the jittered start.
console.log("\nAn every-10-seconds job with jitter: 4 (the start times are random):");
const clock = new VirtualClock(T0);
const scheduler = new Scheduler({ clock, timezone: 'UTC' });
await scheduler.addJob(
  ({ scheduledRunTime }: JobContext) => {
    const late = (clock.now() - scheduledRunTime.getTime()) / 1000;
    console.log(`  slot ${at(scheduledRunTime)} started at +${((clock.now() - T0) / 1000).toFixed(3)}s (${late.toFixed(3)} s of jitter)`);
  },
  { type: 'interval', seconds: 10 },
  { jitter: 4 },
);
await scheduler.start();
await clock.advance(45_000);
await scheduler.shutdown();

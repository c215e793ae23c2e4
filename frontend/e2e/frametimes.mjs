// Frame times from a Chromium trace (the JSON that CDP Tracing returns with
// the devtools.timeline categories), for frames.bench.mjs.
//
// A frame is one AnimationFrame of the page's renderer main thread (Blink's
// long-animation-frame instrumentation: it starts with the first task after
// the previous rendering update and ends when this one is done). Its cost,
// the figure reported, is the main-thread work inside it: the time the
// top-level tasks (RunTask) of the main thread overlap the frame. That is
// the frame's duration minus the time the thread sat idle waiting for the
// next vsync, so a page that keeps every frame under 16.7 ms of work can hold
// 60 frames a second. The compositor's own verdict on each vsync
// (PipelineReporter: presented in full, presented without the main thread's
// update, dropped) is counted alongside.

/** The categories to trace: Blink's timeline and the frame pipeline, no screenshots, no stacks. */
export const traceCategories = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
];

/** The frame budget at 60 Hz, in ms. */
export const budget = 1000 / 60;

/**
 * The main thread and compositor thread of the page's renderer: the process
 * of the outermost main frame named in TracingStartedInBrowser, or else the
 * renderer with the most animation frames.
 */
export function pageThreads(events) {
  const names = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}/${e.tid}`, e.args?.name);
  }
  const started = events.find((e) => e.name === 'TracingStartedInBrowser');
  let pid = started?.args?.data?.frames?.find((f) => f.isOutermostMainFrame)?.processId;
  if (pid === undefined) {
    const count = new Map();
    for (const e of events) if (e.name === 'AnimationFrame' && e.ph === 'b') count.set(e.pid, (count.get(e.pid) ?? 0) + 1);
    pid = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  }
  let main;
  let compositor;
  for (const [key, name] of names) {
    const [p, t] = key.split('/').map(Number);
    if (p !== pid) continue;
    if (name === 'CrRendererMain') main = t;
    if (name === 'Compositor') compositor = t;
  }
  return { pid, main: main ?? pid, compositor };
}

/** What a piece of main-thread time was spent on, by trace event name. */
export function groupOf(name) {
  if (/GC|Sweep|Mark|Scaveng/i.test(name)) return 'gc';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|InvalidateLayout)$/.test(name)) return 'style';
  if (/^(Layout|IntersectionObserverController::computeIntersections|ComputeIntersections)$/.test(name)) return 'layout';
  if (/^(Paint|PrePaint|Layerize|PaintImage|Decode Image|Decode LazyPixelRef|UpdateLayer|Commit|CompositeLayers|RasterTask)$/.test(name)) return 'paint';
  if (name === 'ParseHTML') return 'html';
  if (/^(FunctionCall|EvaluateScript|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|V8\.|v8\.|XHR|WebSocket|FireIdleCallback|HandlePostMessage|v8\.compile|CompileScript|CompileCode|v8\.run)/.test(name)) return 'script';
  return 'other';
}

/**
 * The frames of the page in a trace: for each, its start (µs, trace clock),
 * duration and main-thread work (ms), and the work by kind (script, style,
 * layout, paint, gc, other) with the script functions that took longest.
 * Also the compositor's count of vsyncs by outcome.
 */
export function analyse(events) {
  const { pid, main, compositor } = pageThreads(events);
  const onMain = events.filter((e) => e.pid === pid && e.tid === main);

  // Top-level tasks, outermost only.
  const tasks = [];
  for (const e of onMain.filter((e) => e.ph === 'X' && e.name === 'RunTask').sort((a, b) => a.ts - b.ts)) {
    const last = tasks[tasks.length - 1];
    if (last && e.ts < last.end) continue;
    tasks.push({ ts: e.ts, end: e.ts + (e.dur ?? 0) });
  }

  // AnimationFrame begin/end pairs (one at a time per thread).
  const frames = [];
  let open;
  for (const e of onMain.filter((e) => e.name === 'AnimationFrame' && (e.ph === 'b' || e.ph === 'e')).sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'b') open = e;
    else if (open) {
      frames.push({ ts: open.ts, end: e.ts, seq: open.args?.animation_frame_timing_info?.begin_frame_id?.sequence_number });
      open = undefined;
    }
  }

  // Self time of every complete event on the main thread, by nesting.
  const spans = onMain.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const selfOf = new Map();
  const stack = [];
  for (const e of spans) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) selfOf.set(parent, (selfOf.get(parent) ?? parent.dur) - Math.min(e.dur, parent.ts + parent.dur - e.ts));
    selfOf.set(e, selfOf.get(e) ?? e.dur);
    stack.push(e);
  }

  const out = frames.map((f) => {
    let work = 0;
    for (const t of tasks) {
      if (t.end <= f.ts) continue;
      if (t.ts >= f.end) break;
      work += Math.min(t.end, f.end) - Math.max(t.ts, f.ts);
    }
    return { ts: f.ts, seq: f.seq, duration: (f.end - f.ts) / 1000, work: work / 1000, by: {}, functions: {} };
  });

  // Spread each event's self time over the frames its span overlaps.
  let i = 0;
  const sorted = [...selfOf].sort((a, b) => a[0].ts - b[0].ts);
  for (const [e, self] of sorted) {
    while (i < frames.length && frames[i].end <= e.ts) i++;
    if (i >= frames.length) break;
    if (self <= 0) continue;
    const end = e.ts + e.dur;
    const g = e.name === 'RunTask' ? 'other' : groupOf(e.name);
    for (let j = i; j < frames.length && frames[j].ts < end; j++) {
      const overlap = Math.min(end, frames[j].end) - Math.max(e.ts, frames[j].ts);
      if (overlap <= 0) continue;
      const ms = (e.dur > 0 ? (self * overlap) / e.dur : self) / 1000;
      const f = out[j];
      f.by[g] = (f.by[g] ?? 0) + ms;
      if (g === 'script') {
        const d = e.args?.data ?? {};
        const fn = d.functionName || d.type || e.name;
        const where = d.url ? ` ${d.url.replace(/^.*\//, '')}:${d.lineNumber ?? '?'}:${d.columnNumber ?? '?'}` : '';
        const key = `${e.name}: ${fn}${where}`;
        f.functions[key] = (f.functions[key] ?? 0) + ms;
      }
    }
  }

  // The compositor's outcome for each vsync (its main reporter only).
  const vsyncs = {};
  for (const e of events) {
    if (e.name !== 'PipelineReporter' || e.ph !== 'b' || e.pid !== pid || e.tid !== compositor) continue;
    const r = e.args?.frame_reporter;
    if (!r || r.frame_type === 'FORKED') continue;
    vsyncs[r.state] = (vsyncs[r.state] ?? 0) + 1;
  }
  // The harness's own marks (console.timeStamp in the page): where each step began.
  const marks = onMain.filter((e) => e.name === 'TimeStamp').map((e) => ({ ts: e.ts, message: e.args?.data?.message ?? '' }));
  return { frames: out, vsyncs, marks };
}

/**
 * Where the main thread's JavaScript spent the long frames (work over the
 * budget), from the V8 sampling profiler's ProfileChunk events (traced with
 * the disabled-by-default-v8.cpu_profiler category): self and inclusive
 * milliseconds per function (name, file:line:column). Empty without it.
 */
export function profileOfLong(events, result) {
  const { pid, main } = pageThreads(events);
  const long = result.frames.filter((f) => f.work > budget).map((f) => [f.ts, f.ts + f.duration * 1000]);
  const self = {};
  const total = {};
  if (!long.length) return { self, total };
  // Profiles are keyed by id; the Profile event names the thread and the start time.
  const profiles = new Map();
  for (const e of events) {
    if (e.name === 'Profile' && e.pid === pid && e.tid === main) profiles.set(e.id, { t: e.args.data.startTime, nodes: new Map() });
  }
  const inLong = (ts) => long.some(([a, b]) => ts >= a && ts < b);
  const label = (cf) => `${cf.functionName || '(anonymous)'} ${(cf.url || '').replace(/^.*\//, '')}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
  for (const e of events.filter((e) => e.name === 'ProfileChunk' && profiles.has(e.id)).sort((a, b) => a.ts - b.ts)) {
    const p = profiles.get(e.id);
    const cp = e.args.data.cpuProfile ?? {};
    for (const n of cp.nodes ?? []) p.nodes.set(n.id, n);
    const deltas = e.args.data.timeDeltas ?? [];
    (cp.samples ?? []).forEach((id, i) => {
      p.t += deltas[i] ?? 0;
      const next = deltas[i + 1] ?? 0;
      if (!inLong(p.t)) return;
      const node = p.nodes.get(id);
      if (!node || ['(idle)', '(program)', '(root)'].includes(node.callFrame.functionName)) return;
      const ms = next / 1000;
      self[label(node.callFrame)] = (self[label(node.callFrame)] ?? 0) + ms;
      const seen = new Set();
      for (let n = node; n; n = p.nodes.get(n.parent)) {
        const l = label(n.callFrame);
        if (seen.has(l) || n.callFrame.functionName === '(root)') continue;
        seen.add(l);
        total[l] = (total[l] ?? 0) + ms;
      }
    });
  }
  return { self, total };
}

/**
 * Per step of a scenario (each begun by a mark named label, up to the next
 * such mark or the chunk's end): the longest frame of each step, their median and
 * p95, and how many steps kept every frame within the budget. A switch of
 * conversation is one step: whether it stays smooth is a matter of its worst
 * frame, which the percentiles over all frames mix with idle ones.
 */
export function perMark(chunks, label) {
  const worst = [];
  for (const c of chunks) {
    const starts = (c.marks ?? []).filter((m) => m.message === label).map((m) => m.ts);
    starts.forEach((ts, i) => {
      const end = starts[i + 1] ?? Infinity;
      worst.push(Math.max(0, ...c.frames.filter((f) => f.ts >= ts && f.ts < end).map((f) => f.work)));
    });
  }
  const sorted = [...worst].sort((a, b) => a - b);
  return {
    steps: worst.length,
    worstMedian: round(percentile(sorted, 50)),
    worstP95: round(percentile(sorted, 95)),
    within: worst.filter((w) => w <= budget).length,
  };
}

/** The value at percentile p (0–100) of sorted numbers, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Milliseconds to a tenth, as the reports show them. */
const round = (v) => Math.round(v * 10) / 10;

/** Sums of per-frame maps. */
function addInto(total, part) {
  for (const [k, v] of Object.entries(part)) total[k] = (total[k] ?? 0) + v;
  return total;
}

/**
 * The summary of frames from one or more trace chunks: percentiles of the
 * main-thread work per frame, frames over budget, what the long frames spent
 * their time on, the worst frames, and the compositor's vsync outcomes.
 */
export function summarise(chunks) {
  const frames = chunks.flatMap((c) => c.frames);
  const work = frames.map((f) => f.work).sort((a, b) => a - b);
  const long = frames.filter((f) => f.work > budget);
  const vsyncs = chunks.reduce((t, c) => addInto(t, c.vsyncs), {});
  const top = (m, n) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, round(v)]);
  return {
    frames: frames.length,
    p50: round(percentile(work, 50)),
    p95: round(percentile(work, 95)),
    p99: round(percentile(work, 99)),
    max: round(work[work.length - 1] ?? NaN),
    over: long.length,
    mean: round(work.reduce((a, b) => a + b, 0) / (work.length || 1)),
    longBy: Object.fromEntries(top(long.reduce((t, f) => addInto(t, f.by), {}), 10)),
    longFunctions: top(long.reduce((t, f) => addInto(t, f.functions), {}), 12),
    worst: [...frames]
      .sort((a, b) => b.work - a.work)
      .slice(0, 5)
      .map((f) => ({ work: round(f.work), duration: round(f.duration), by: Object.fromEntries(top(f.by, 6)), functions: top(f.functions, 4) })),
    vsyncs,
  };
}

// Unit test of the frame-time analysis of frames.bench.mjs on a made-up
// trace: frames, the main-thread work inside them, percentiles, the
// compositor's vsync outcomes. Run by `make test-web` with the browser suites.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyse, pageThreads, percentile, perMark, summarise } from './frametimes.mjs';

const pid = 7;
const main = 7;
const compositor = 9;

/** A trace: the thread names, the page's frame, then events (times in ms, made µs). */
function trace(events) {
  const us = (ms) => Math.round(ms * 1000);
  return [
    { ph: 'M', name: 'thread_name', pid, tid: main, args: { name: 'CrRendererMain' } },
    { ph: 'M', name: 'thread_name', pid, tid: compositor, args: { name: 'Compositor' } },
    { ph: 'M', name: 'thread_name', pid: 3, tid: 3, args: { name: 'CrRendererMain' } },
    { ph: 'I', name: 'TracingStartedInBrowser', pid: 1, tid: 1, ts: 0, args: { data: { frames: [{ processId: pid, isOutermostMainFrame: true }] } } },
    ...events.map((e) => ({ pid, tid: main, ...e, ts: us(e.ts), ...(e.dur !== undefined ? { dur: us(e.dur) } : {}) })),
  ];
}

const task = (ts, dur, extra = {}) => ({ ph: 'X', name: 'RunTask', ts, dur, ...extra });
const frame = (ts, end) => [
  { ph: 'b', name: 'AnimationFrame', ts, id2: { local: '0x1' } },
  { ph: 'e', name: 'AnimationFrame', ts: end, id2: { local: '0x1' } },
];
const vsync = (state, forked = false) => ({
  ph: 'b',
  name: 'PipelineReporter',
  tid: compositor,
  ts: 0,
  args: { frame_reporter: { state, ...(forked ? { frame_type: 'FORKED' } : {}) } },
});

test('a frame costs the main-thread work inside it, not the time it waits for the next vsync', () => {
  const events = trace([
    // Frame 1: 0–20 ms, 3 ms of work then a wait for the vsync, then 2 ms of rendering.
    ...frame(0, 20),
    task(0, 3, { name: 'RunTask' }),
    { ph: 'X', name: 'FunctionCall', ts: 0.5, dur: 2, args: { data: { functionName: 'onScroll', url: 'http://x/assets/index.js', lineNumber: 1, columnNumber: 2 } } },
    task(18, 2),
    { ph: 'X', name: 'Layout', ts: 18.2, dur: 1.5 },
    // Frame 2: 30–60 ms, one long task of 25 ms that began before it.
    task(28, 27),
    ...frame(30, 60),
    { ph: 'X', name: 'MinorGC', ts: 32, dur: 10 },
    // A task of another renderer and a nested task count for nothing.
    { ph: 'X', name: 'RunTask', pid: 3, tid: 3, ts: 35, dur: 20 },
    task(44, 5),
    vsync('STATE_PRESENTED_ALL'),
    vsync('STATE_PRESENTED_ALL', true),
    vsync('STATE_DROPPED'),
    vsync('STATE_NO_UPDATE_DESIRED'),
  ]);
  assert.deepEqual(pageThreads(events), { pid, main, compositor });
  const { frames, vsyncs } = analyse(events);
  assert.equal(frames.length, 2);
  assert.equal(frames[0].duration, 20);
  assert.equal(frames[0].work, 5);
  assert.ok(Math.abs(frames[0].by.script - 2) < 1e-9, JSON.stringify(frames[0].by));
  assert.ok(Math.abs(frames[0].by.layout - 1.5) < 1e-9, JSON.stringify(frames[0].by));
  assert.deepEqual(Object.keys(frames[0].functions), ['FunctionCall: onScroll index.js:1:2']);
  assert.equal(frames[1].work, 25); // 30–55 of the task 28–55
  assert.ok(Math.abs(frames[1].by.gc - 10) < 1e-9, JSON.stringify(frames[1].by));
  assert.deepEqual(vsyncs, { STATE_PRESENTED_ALL: 1, STATE_DROPPED: 1, STATE_NO_UPDATE_DESIRED: 1 });

  const s = summarise([{ frames, vsyncs }, { frames: [{ ts: 0, work: 16, duration: 16, by: {}, functions: {} }], vsyncs: { STATE_DROPPED: 2 } }]);
  assert.equal(s.frames, 3);
  assert.equal(s.p50, 16);
  assert.equal(s.max, 25);
  assert.equal(s.over, 1);
  assert.deepEqual(s.vsyncs, { STATE_PRESENTED_ALL: 1, STATE_DROPPED: 3, STATE_NO_UPDATE_DESIRED: 1 });
});

test('percentiles are nearest-rank', () => {
  const v = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(v, 50), 50);
  assert.equal(percentile(v, 95), 95);
  assert.equal(percentile(v, 99), 99);
  assert.equal(percentile(v, 100), 100);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('each step begun by a mark is judged by its longest frame', () => {
  const mark = (ts, message) => ({ ph: 'I', name: 'TimeStamp', ts, args: { data: { message } } });
  const events = trace([
    mark(0, 'switch'),
    ...frame(10, 30),
    task(10, 20),
    ...frame(40, 50),
    task(40, 4),
    mark(100, 'other'),
    mark(200, 'switch'),
    ...frame(210, 230),
    task(210, 10),
  ]);
  const chunk = analyse(events);
  assert.deepEqual(
    chunk.marks.map((m) => m.message),
    ['switch', 'other', 'switch'],
  );
  // The first switch's longest frame is 20 ms (over the budget), the second's 10 ms.
  assert.deepEqual(perMark([chunk], 'switch'), { steps: 2, worstMedian: 10, worstP95: 20, within: 1 });
  assert.deepEqual(perMark([chunk], 'none'), { steps: 0, worstMedian: NaN, worstP95: NaN, within: 0 });
});

// Benchmark of the UI's frame times (issue 13): scrolling through a
// conversation of 10,000 messages from the newest to the oldest, and
// switching between conversations 50 times, in Debian's Chromium driven by
// playwright-core, measured from a browser trace (frametimes.mjs says how).
//
// The world is real: a kurier-backend, virtual phones (Alice, whose desktop
// this is, Bob and five more people), `kurier --web` paired with Alice's
// phone. Bob and Alice exchange 10,000 messages through the backend before
// the desktop pairs; the other people and 15 groups make 20 more
// conversations. The history reaches the page 50 messages at a time from
// Alice's phone over the WebRTC link, as when a user scrolls back.
//
// Baselines, in the same browser and run: the same wheel over a static page
// holding the same texts (the harness's and the browser's own floor for
// scrolling), and the same clicks on a static page that swaps panes of 50
// prepared bubbles (the floor for drawing a new conversation).
//
// Run by `make bench-web` (it takes minutes; `make bench` does not run it):
// it prints a table and writes the figures to KURIER_BENCH_OUT
// (build/bench/frames.json). The binaries come from KURIER_BINARY,
// KURIER_BACKEND_BINARY and KURIER_PHONE_BINARY (make sets them). Knobs:
//   KURIER_BENCH_MESSAGES (10000), KURIER_BENCH_SWITCHES (50)
//   KURIER_BENCH_WHEEL_PX (100), KURIER_BENCH_WHEEL_MS (50): one wheel notch
//     and how often one starts (the wheel call itself may take longer)
//   KURIER_BENCH_WORLD=DIR: keep the seeded backend and phones in DIR and
//     reuse them on the next run (seeding takes about a minute)
//   KURIER_BENCH_SCENARIOS (scroll,switch,baseline), KURIER_BENCH_SCROLL_WHEELS
//     (stop the scroll after so many notches): for a quick look
//   KURIER_BENCH_TRACES=DIR: keep every trace chunk (JSON that DevTools'
//     performance panel opens)
//   KURIER_BENCH_PROFILE=1: also sample JavaScript and name the functions
//     that made the long frames long; KURIER_BENCH_ASSETS=DIR serves the UI
//     from another build (`npx vite build --minify false --outDir DIR`) so
//     that those names are readable
//   KURIER_BENCH_HEADFUL=1: Chromium with a window (needs DISPLAY, e.g. Xvfb)
//   KURIER_ARTIFACTS: screenshots (frames-oldest.png, frames-failure-*.png)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chatter } from './chatter.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { analyse, budget, perMark, profileOfLong, summarise, traceCategories } from './frametimes.mjs';
import { makePNG } from './png.mjs';
import { Phone, backendAddrs, requireBins, startBackend, startKurier, stopAll, ui, waitFor } from './world.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const int = (v, d) => (v === undefined || v === '' ? d : Number.parseInt(v, 10));
const cfg = {
  messages: int(env.KURIER_BENCH_MESSAGES, 10_000),
  switches: int(env.KURIER_BENCH_SWITCHES, 50),
  /** After a switch, ms to leave the page alone before checking that the chat is there. */
  switchQuietMs: 300,
  wheelPx: int(env.KURIER_BENCH_WHEEL_PX, 100),
  wheelMs: int(env.KURIER_BENCH_WHEEL_MS, 50),
  /** Wheel notches over the static page. */
  baselineWheels: int(env.KURIER_BENCH_BASELINE_WHEELS, 1000),
  /** At most this many notches over the long conversation (for a quick look; the default goes all the way). */
  scrollWheels: int(env.KURIER_BENCH_SCROLL_WHEELS, 100_000),
  /** The scenarios to run, of scroll, switch and baseline. */
  scenarios: (env.KURIER_BENCH_SCENARIOS ?? 'scroll,switch,baseline').split(','),
  /** A directory to keep every trace chunk in (JSON, for DevTools' performance panel). */
  traces: env.KURIER_BENCH_TRACES,
  /** Trace chunk length (ms): the trace is fetched and analysed in pieces to bound its memory. */
  chunkMs: 15_000,
  /** Sends in flight while seeding. */
  concurrency: 12,
  headful: env.KURIER_BENCH_HEADFUL === '1',
  /** Sample JavaScript (V8's profiler) and name the functions that made frames long. */
  profile: env.KURIER_BENCH_PROFILE === '1',
  /** A UI build to serve instead of the embedded one (e.g. unminified, for readable profiles). */
  assets: env.KURIER_BENCH_ASSETS,
  world: env.KURIER_BENCH_WORLD,
  out: resolve(env.KURIER_BENCH_OUT ?? join(here, '..', '..', 'build', 'bench', 'frames.json')),
  artifacts: resolve(env.KURIER_ARTIFACTS ?? join(here, '..', '..', 'build', 'test-artifacts')),
};

/** The mark (console.timeStamp) the switch scenarios set in the trace before each switch. */
const switchMark = 'kurier-switch';
/** Marks the start of a switch in the trace. */
const markSwitch = (page) => page.evaluate((label) => console.timeStamp(label), switchMark);

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The first message of the long conversation, to know the scroll reached the oldest. */
const firstText = 'This is where it all started: the very first message. 🌱';
/** The last message of the long conversation, sent after all others. */
const lastText = 'And this is the newest one. See you tomorrow! 👋';

const others = ['Carol', 'Dave', 'Erin', 'Frank', 'Grace'];
const groupNames = [
  'Book club', 'Climbing Tuesdays', 'Flat 3B', 'Garden allotment', 'Family', 'Choir altos', 'Cycling to work',
  'Football on Sunday', 'Board games', 'Kita parents', 'Trip to Porto', 'Office lunch', 'Band practice',
  'Neighbours Lindenstrasse', 'Wedding planning',
];

// ---------------------------------------------------------------------------
// Seeding

/** Runs fn over items with at most n in flight. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** Starts (and on first use seeds) the backend and the phones; resolves with the world. */
async function world(dir) {
  const fresh = !existsSync(join(dir, 'world.json'));
  // A world seeded before listens where its phones expect it.
  const { backendJSON } = await startBackend(join(dir, 'backend'), fresh ? {} : backendAddrs(join(dir, 'alice', 'backend.json')));
  const names = ['Alice', 'Bob', ...others];
  const phones = Object.fromEntries(names.map((n) => [n, new Phone(n, join(dir, n.toLowerCase()))]));
  if (fresh) await Promise.all(Object.values(phones).map((p) => p.init(backendJSON)));
  await Promise.all(Object.values(phones).map((p) => p.serve()));
  if (!fresh) return { backendJSON, phones, ...JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8')) };

  const { Alice: alice, Bob: bob, Carol: carol } = phones;
  const started = Date.now();
  // Everyone knows Alice, Alice knows everyone, Bob and Carol know each other (for their groups).
  for (const p of Object.values(phones)) {
    if (p === alice) continue;
    await alice.call('POST', '/v1/contacts', { id: p.id });
    await p.call('POST', '/v1/contacts', { id: alice.id });
  }
  await bob.call('POST', '/v1/contacts', { id: carol.id });
  await carol.call('POST', '/v1/contacts', { id: bob.id });
  await Promise.all(names.slice(1).map((n, i) => phones[n].upload('PUT', '/v1/profile/avatar', makePNG(96, 96, i * 40))));

  // The long conversation: Bob writes most, Alice answers some.
  const next = chatter(13);
  const sends = Array.from({ length: cfg.messages - 2 }, (_, i) => ({ from: i % 10 < 7 ? bob : alice, text: next() }));
  await bob.send(alice.id, firstText);
  let done = 1;
  await pool(sends, cfg.concurrency, async ({ from, text }) => {
    await from.send(from === bob ? alice.id : bob.id, text);
    if (++done % 1000 === 0) log(`seeding: ${done} of ${cfg.messages} messages sent`);
  });
  const sentAfter = Date.now() - started;
  // Alice's phone takes them in from the chat server one by one.
  let lastLog = Date.now();
  await waitFor(
    'the long conversation on Alice’s phone',
    async () => {
      const n = (await alice.call('GET', '/v1/conversations')).find((c) => c.id === bob.id)?.messages ?? 0;
      if (Date.now() - lastLog > 10_000) {
        log(`seeding: ${n} of ${cfg.messages - 1} messages on Alice’s phone`);
        lastLog = Date.now();
      }
      return n >= cfg.messages - 1;
    },
    900_000,
    1000,
  );
  const receivedAfter = Date.now() - started;

  // 20 more conversations: five people and 15 groups of Bob's or Carol's.
  const small = [];
  others.forEach((n, i) => {
    const more = chatter(100 + i);
    for (let k = 0; k < 40; k++) small.push(k % 3 === 2 ? { from: alice, to: phones[n].id, text: more() } : { from: phones[n], to: alice.id, text: more() });
  });
  const groups = [];
  for (const [i, name] of groupNames.entries()) {
    const creator = i % 3 === 2 ? carol : bob;
    const other = creator === bob ? carol : bob;
    const g = await creator.call('POST', '/v1/groups', { name, members: [alice.id, other.id] });
    if (i % 2 === 0) await creator.upload('PUT', `/v1/groups/${g.id}/avatar`, makePNG(96, 96, 20 + i * 15));
    groups.push(g);
    const more = chatter(200 + i);
    for (let k = 0; k < 30; k++) {
      const from = [creator, other, alice][k % 3];
      small.push({ from, group: { creator: g.creator, id: g.id }, text: more() });
    }
  }
  for (const g of groups) {
    for (const p of [alice, bob, carol]) {
      await waitFor(`${p.name}’s phone to know the group ${g.name}`, async () => (await p.call('GET', '/v1/groups')).some((x) => x.conversation === g.conversation), 30_000, 200);
    }
  }
  await pool(small, cfg.concurrency, ({ from, to, group, text }) => from.call('POST', '/v1/messages', group ? { group, text } : { to, text }));
  // Bob's conversation is the latest, at the top of the list.
  await waitFor('the other conversations on Alice’s phone', async () => (await alice.call('GET', '/v1/conversations')).length >= 1 + others.length + groupNames.length, 120_000, 500);
  await sleep(2000);
  await bob.send(alice.id, lastText);

  // Wait until Alice's phone has everything.
  await waitFor(
    'every message on Alice’s phone',
    async () => {
      const cs = await alice.call('GET', '/v1/conversations');
      const total = cs.reduce((n, c) => n + c.messages, 0);
      return total >= cfg.messages + small.length && cs.length >= 1 + others.length + groupNames.length;
    },
    600_000,
    1000,
  );
  const seconds = (Date.now() - started) / 1000;
  log(`seeding took ${seconds.toFixed(0)} s (the long conversation sent after ${(sentAfter / 1000).toFixed(0)} s, on Alice’s phone after ${(receivedAfter / 1000).toFixed(0)} s)`);
  const info = {
    seeded: { seconds, longSentSeconds: sentAfter / 1000, longReceivedSeconds: receivedAfter / 1000, messages: cfg.messages, small: small.length },
    groups: groups.map((g) => g.conversation),
  };
  writeFileSync(join(dir, 'world.json'), JSON.stringify(info));
  return { backendJSON, phones, ...info };
}

// ---------------------------------------------------------------------------
// Tracing in chunks

/** Traces the page in chunks, analysing each as it is fetched. */
class Tracer {
  constructor(name, browser, page) {
    this.name = name;
    this.browser = browser;
    this.page = page;
    this.chunks = [];
    this.profile = { self: {}, total: {} };
  }

  async start() {
    const categories = cfg.profile ? [...traceCategories, 'disabled-by-default-v8.cpu_profiler'] : traceCategories;
    await this.browser.startTracing(this.page, { categories });
    this.since = Date.now();
  }

  async stop() {
    const buf = await this.browser.stopTracing();
    if (cfg.traces) {
      mkdirSync(cfg.traces, { recursive: true });
      writeFileSync(join(cfg.traces, `${this.name}-${String(this.chunks.length).padStart(3, '0')}.json`), buf);
    }
    const json = JSON.parse(buf.toString('utf8'));
    const events = json.traceEvents ?? json;
    const result = analyse(events);
    this.chunks.push(result);
    if (cfg.profile) {
      const p = profileOfLong(events, result);
      for (const k of ['self', 'total']) for (const [f, ms] of Object.entries(p[k])) this.profile[k][f] = (this.profile[k][f] ?? 0) + ms;
    }
  }

  /** Starts a new chunk when the current one is long enough. */
  async rotate() {
    if (Date.now() - this.since < cfg.chunkMs) return;
    await this.stop();
    await this.start();
  }

  summary() {
    const s = summarise(this.chunks);
    const steps = perMark(this.chunks, switchMark);
    if (steps.steps > 0) s.perSwitch = steps;
    if (cfg.profile) {
      const top = (m, n) =>
        Object.entries(m)
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([k, v]) => [k, Math.round(v)]);
      s.profile = { self: top(this.profile.self, 20), total: top(this.profile.total, 30) };
    }
    return s;
  }
}

/** Serves the UI's files from cfg.assets instead of the embedded build (the entry point by its prefix). */
async function routeAssets(page) {
  const dir = join(cfg.assets, 'assets');
  const files = readdirSync(dir);
  await page.route('**/assets/*', async (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^.*\//, '');
    const ext = name.replace(/^.*\./, '');
    const file = files.includes(name) ? name : /^index-/.test(name) ? files.find((f) => f.startsWith('index-') && f.endsWith(`.${ext}`)) : undefined;
    if (!file) return route.continue();
    await route.fulfill({ body: readFileSync(join(dir, file)), contentType: ext === 'css' ? 'text/css' : 'text/javascript' });
  });
}

// ---------------------------------------------------------------------------
// The scenarios

/** Scrolls the list under the mouse up with the wheel until done() says so; resolves with { wheels, waits }. */
async function wheelUp(page, tracer, probe, limit) {
  let wheels = 0;
  let waited = 0;
  let stuckSince = 0;
  // One notch every wheelMs by the clock (the wheel call itself takes time); a wait restarts the clock.
  let next = Date.now();
  for (;;) {
    await page.mouse.wheel(0, -cfg.wheelPx);
    wheels++;
    next += cfg.wheelMs;
    await sleep(next - Date.now());
    if (wheels % 10 !== 0) continue;
    const s = await probe();
    if (s.done || wheels >= limit) return { wheels, waited, last: s };
    if (s.top < 1 && s.busy) {
      // At the top while the next page loads: a reader waits for it.
      const t0 = Date.now();
      await waitFor('the older page', async () => !(await probe()).busy, 30_000, 20);
      waited += Date.now() - t0;
    }
    if (s.top < 1 && !s.busy) {
      stuckSince ||= Date.now();
      if (Date.now() - stuckSince > 10_000) throw new Error(`the list stays at the top without loading older messages: ${JSON.stringify(s)}`);
    } else stuckSince = 0;
    if (wheels % 500 === 0) log(`scroll: ${wheels} wheel notches, ${JSON.stringify(s)}`);
    await tracer.rotate();
    next = Math.max(next, Date.now());
  }
}

async function scrollApp(browser, page, bobId) {
  await page.locator(`[data-testid=conversation-item][data-receiver="contact:${bobId}"]`).click();
  const scroller = page.getByRole('list', { name: 'Messages' });
  await ui('the newest messages of Bob’s chat', page.locator('[data-testid=message]').first().waitFor());
  await sleep(1000);
  const box = await scroller.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await scroller.evaluate((el) => {
    const seen = new Set();
    const add = (n) => n instanceof HTMLElement && n.dataset.messageId && seen.add(n.dataset.messageId);
    el.querySelectorAll('[data-message-id]').forEach(add);
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach(add))).observe(el, { childList: true });
    window.__seen = seen;
  });
  const probe = () =>
    scroller.evaluate(
      (el, first) => ({
        top: Math.round(el.scrollTop),
        busy: el.getAttribute('aria-busy') === 'true',
        seen: window.__seen.size,
        done: el.scrollTop < 1 && el.querySelector('[data-testid=message]')?.textContent?.includes(first) === true,
      }),
      firstText,
    );
  const tracer = new Tracer('scroll', browser, page);
  const t0 = Date.now();
  await tracer.start();
  const r = await wheelUp(page, tracer, probe, cfg.scrollWheels);
  await tracer.stop();
  const seconds = (Date.now() - t0) / 1000;
  mkdirSync(cfg.artifacts, { recursive: true });
  await page.screenshot({ path: join(cfg.artifacts, 'frames-oldest.png') });
  log(`scroll: reached the oldest message after ${r.wheels} notches in ${seconds.toFixed(0)} s (${(r.waited / 1000).toFixed(1)} s waiting for pages); ${r.last.seen} messages passed`);
  if (r.last.seen < cfg.messages && r.wheels < cfg.scrollWheels) throw new Error(`only ${r.last.seen} of ${cfg.messages} messages were shown on the way up`);
  return { ...tracer.summary(), wheels: r.wheels, seconds, waitedSeconds: r.waited / 1000, shown: r.last.seen };
}

/** The static page of the scroll baseline: the same texts in bubbles, all in the DOM. */
function staticScrollPage(texts) {
  const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const rows = texts.map((t, i) => `<div class="row${i % 10 < 7 ? '' : ' out'}"><div class="b">${esc(t)}</div></div>`).join('');
  return `<!doctype html><meta charset=utf-8><style>
    body{margin:0;display:flex;height:100vh;font:14px system-ui,sans-serif;background:#f4f4f5}
    nav{width:320px;border-right:1px solid #ddd;background:#fff} main{flex:1;display:flex;flex-direction:column;min-width:0}
    #s{flex:1;overflow-y:auto;padding:8px 16px 12px}
    .row{display:flex;flex-direction:column;align-items:flex-start;margin:2px 0} .row.out{align-items:flex-end}
    .b{max-width:70%;padding:6px 10px;border-radius:12px;background:#fff;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 1px 1px #0001}
    .out .b{background:#dcf5d4}</style><nav></nav><main><div id=s>${rows}</div></main>`;
}

/** The static page of the switch baseline: a list and a pane of 50 bubbles per conversation, one shown. */
function staticSwitchPage(panes) {
  const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const items = panes.map((p, i) => `<button data-i="${i}">${esc(p.name)}</button>`).join('');
  const divs = panes
    .map((p, i) => `<section data-i="${i}" hidden>${p.texts.map((t, k) => `<div class="row${k % 3 ? '' : ' out'}"><div class="b">${esc(t)}</div></div>`).join('')}</section>`)
    .join('');
  return `<!doctype html><meta charset=utf-8><style>
    body{margin:0;display:flex;height:100vh;font:14px system-ui,sans-serif;background:#f4f4f5}
    nav{width:320px;border-right:1px solid #ddd;background:#fff;display:flex;flex-direction:column}
    nav button{height:64px;text-align:left;border:0;background:none;padding:0 16px;font:inherit}
    main{flex:1;overflow-y:auto;padding:8px 16px 12px}
    .row{display:flex;flex-direction:column;align-items:flex-start;margin:2px 0} .row.out{align-items:flex-end}
    .b{max-width:70%;padding:6px 10px;border-radius:12px;background:#fff;white-space:pre-wrap;overflow-wrap:anywhere}
    .out .b{background:#dcf5d4}</style><nav>${items}</nav><main>${divs}</main><script>
    document.querySelector('nav').onclick = (e) => {
      const i = e.target.dataset.i; if (i === undefined) return;
      for (const s of document.querySelectorAll('section')) s.hidden = s.dataset.i !== i;
      const m = document.querySelector('main'); m.scrollTop = m.scrollHeight;
    };</script>`;
}

async function scrollBaseline(browser, texts) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.setContent(staticScrollPage(texts));
  const scroller = page.locator('#s');
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await sleep(1000);
  await page.mouse.move(760, 400);
  const tracer = new Tracer('scroll-baseline', browser, page);
  await tracer.start();
  const probe = () => scroller.evaluate((el) => ({ top: Math.round(el.scrollTop), busy: false, done: el.scrollTop < 1 }));
  const r = await wheelUp(page, tracer, probe, cfg.baselineWheels);
  await tracer.stop();
  await page.close();
  return { ...tracer.summary(), wheels: r.wheels };
}

async function switchBaseline(browser, panes) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.setContent(staticSwitchPage(panes));
  const tracer = new Tracer('switch-baseline', browser, page);
  await tracer.start();
  for (let i = 0; i < cfg.switches; i++) {
    await markSwitch(page);
    await page.locator(`nav button[data-i="${(i + 1) % panes.length}"]`).click();
    await sleep(400);
    await tracer.rotate();
  }
  await tracer.stop();
  await page.close();
  return tracer.summary();
}

/** Whether the conversation's row is drawn and wholly inside the list, so that a click can reach it. */
async function clickable(page, receiver) {
  const item = page.locator(`[data-testid=conversation-item][data-receiver="${receiver}"]`);
  if (!(await item.count())) return false;
  return item.evaluate((el) => {
    const list = el.closest('[role=list]');
    if (!list) return false;
    const r = el.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    return r.top >= l.top && r.bottom <= l.bottom;
  });
}

async function switchApp(browser, page, conversations) {
  const tracer = new Tracer('switch', browser, page);
  await tracer.start();
  const open = page.locator('[data-testid=chat-view]');
  let current = (await open.count()) ? await open.getAttribute('data-receiver') : '';
  let keyboard = 0;
  for (let i = 0; i < cfg.switches; i++) {
    let target = conversations[i % conversations.length];
    if (target.receiver === current) target = conversations[(i + 1) % conversations.length];
    await markSwitch(page);
    if (i % 5 === 4 || !(await clickable(page, target.receiver))) {
      // Ctrl+K, a few letters of the name, Enter.
      keyboard++;
      await page.keyboard.press('Control+k');
      const box = page.getByTestId('quick-switcher').getByRole('combobox');
      await ui('the quick switcher', box.waitFor());
      await box.pressSequentially(target.name.replace(/^~/, '').slice(0, 6), { delay: 60 });
      await sleep(150);
      await page.keyboard.press('Enter');
    } else {
      await page.locator(`[data-testid=conversation-item][data-receiver="${target.receiver}"]`).click();
    }
    // Hands off while the chat is drawn: Playwright's waiting polls the page
    // through DevTools, on the page's main thread, inside the very frames
    // measured (the static baseline has none of that). It checks afterwards.
    await sleep(cfg.switchQuietMs);
    const view = page.locator(`[data-testid=chat-view][data-receiver="${target.receiver}"]`);
    await ui(`the chat of ${target.name}`, view.waitFor());
    await ui('its messages', view.locator('[data-testid=message]').first().waitFor());
    await waitFor('the page loaded', async () => (await view.getByRole('list', { name: 'Messages' }).getAttribute('aria-busy')) !== 'true');
    current = target.receiver;
    await sleep(400 - cfg.switchQuietMs);
    await tracer.rotate();
  }
  await tracer.stop();
  return { ...tracer.summary(), keyboard };
}

// ---------------------------------------------------------------------------
// Main

function table(rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const out = [line(['scenario', 'frames', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `frames > ${budget.toFixed(1)} ms`, 'vsyncs: presented / partial / dropped']), line(Array(8).fill('---'))];
  for (const [name, s] of rows) {
    const v = s.vsyncs ?? {};
    out.push(line([name, s.frames, s.p50, s.p95, s.p99, s.max, s.over, `${v.STATE_PRESENTED_ALL ?? 0} / ${v.STATE_PRESENTED_PARTIAL ?? 0} / ${v.STATE_DROPPED ?? 0}`]));
  }
  return out.join('\n');
}

async function main() {
  requireBins('make bench-web');
  const load0 = loadavg();
  const root = mkdtempSync(join(tmpdir(), 'kurier-frames-'));
  const worldDir = cfg.world ? resolve(cfg.world) : join(root, 'world');
  mkdirSync(worldDir, { recursive: true });
  let browser;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await stopAll();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    log(`world in ${worldDir}`);
    const w = await world(worldDir);
    const { Alice: alice, Bob: bob } = w.phones;
    const { url } = await startKurier(join(root, 'desktop'), w.backendJSON);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: cfg.headful ? chromiumArgs.filter((a) => a !== '--headless') : chromiumArgs,
      headless: !cfg.headful,
    });
    const page = await browser.newPage({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1200, height: 800 } });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e));
    page.setDefaultTimeout(30_000);
    if (cfg.assets) await routeAssets(page);
    await page.goto(url);
    const code = await ui('the pairing code', page.locator('[data-testid=pairing-qr]').getAttribute('data-pairing-code'));
    await alice.call('POST', '/v1/pair', { qr: code });
    await ui('the link connected', page.locator('[data-testid=link-state][data-state=connected]').waitFor());
    const want = 1 + others.length + groupNames.length;
    const listed = () => page.locator('[role=listitem]:has([data-testid=conversation-item])').first().getAttribute('aria-setsize');
    await waitFor(`${want} conversations in the list`, async () => Number(await listed()) >= want, 60_000);

    // Read every conversation once (as its owner would have), walking the
    // list with Alt+Down, then start from a fresh page.
    const conversations = [];
    await page.locator('[data-testid=conversation-item]').first().click();
    for (let i = 0; i < want; i++) {
      if (i > 0) await page.keyboard.press('Alt+ArrowDown');
      const view = page.locator('[data-testid=chat-view]');
      await ui(
        'the next chat',
        waitFor('a chat not seen before', async () => {
          const r = await view.getAttribute('data-receiver');
          return r && !conversations.some((c) => c.receiver === r);
        }),
      );
      // Just after seeding the phone may be too busy to answer in time: open the chat again.
      const receiver = await view.getAttribute('data-receiver');
      const item = page.locator(`[data-testid=conversation-item][data-receiver="${receiver}"]`);
      for (let attempt = 1; ; attempt++) {
        const shown = view.locator('[data-testid=message]').first();
        const failed = view.getByRole('alert');
        await ui('its messages', shown.or(failed).first().waitFor());
        if (await shown.count()) break;
        if (attempt === 3) throw new Error(`the messages of ${receiver} did not load: ${await failed.textContent()}`);
        log(`warm-up: ${receiver} did not load (${await failed.textContent()}); opening it again`);
        await sleep(5000);
        await page.locator(`[data-testid=conversation-item]:not([data-receiver="${receiver}"])`).first().click();
        await item.click();
      }
      conversations.push({ receiver, name: (await view.locator('header h2').textContent()) ?? '' });
    }
    await sleep(2000);
    await page.reload();
    await waitFor(`${want} conversations after the reload`, async () => Number(await listed()) >= want, 60_000);
    await sleep(2000);

    // The texts for the baselines, as the phone has them (oldest first).
    const texts = [];
    for (let before = 0; ; ) {
      const q = `/v1/conversations/${bob.id}/messages?limit=1000${before ? `&before=${before}` : ''}`;
      const ms = await alice.call('GET', q);
      if (!ms.length) break;
      texts.unshift(...ms.map((m) => m.text));
      before = Math.min(...ms.map((m) => m.seq));
      if (ms.length < 1000) break;
    }
    const panes = [];
    for (const c of await alice.call('GET', '/v1/conversations')) {
      const ms = await alice.call('GET', `/v1/conversations/${encodeURIComponent(c.id)}/messages?limit=50`);
      panes.push({ name: c.id, texts: ms.map((m) => m.text) });
    }

    const run = (name) => cfg.scenarios.includes(name);
    const none = { frames: 0, vsyncs: {} };
    let baseScroll = none;
    let baseSwitch = none;
    let scroll = none;
    let switching = none;
    if (run('baseline')) {
      log('baseline: scrolling a static page');
      baseScroll = await scrollBaseline(browser, texts);
      log('baseline: switching panes of a static page');
      baseSwitch = await switchBaseline(browser, panes);
    }
    if (run('scroll')) {
      log('scrolling Bob’s conversation from the newest message to the oldest');
      scroll = await scrollApp(browser, page, bob.id);
    }
    if (run('switch')) {
      log(`switching conversations ${cfg.switches} times`);
      switching = await switchApp(browser, page, conversations);
    }
    if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join('\n')}`);

    const result = {
      date: new Date().toISOString(),
      chromium: browser.version(),
      mode: cfg.headful ? `headful under ${env.DISPLAY}` : 'headless',
      cpus: `${cpus().length} × ${cpus()[0]?.model}`,
      loadavg: { before: load0, after: loadavg() },
      config: cfg,
      seeded: w.seeded,
      scroll,
      scrollBaseline: baseScroll,
      switching,
      switchBaseline: baseSwitch,
    };
    mkdirSync(dirname(cfg.out), { recursive: true });
    writeFileSync(cfg.out, JSON.stringify(result, null, 2));
    console.log(
      `\n${table([
        [`scroll through ${cfg.messages} messages`, scroll],
        ['baseline: the same wheel over a static page', baseScroll],
        [`switch conversations ${cfg.switches}×`, switching],
        ['baseline: switch panes of a static page', baseSwitch],
      ])}\n`,
    );
    for (const [name, s] of [['switching', switching], ['baseline pane swap', baseSwitch]].filter(([, s]) => s.perSwitch)) {
      const p = s.perSwitch;
      console.log(`${name}: the longest frame of each switch: median ${p.worstMedian} ms, p95 ${p.worstP95} ms; ${p.within} of ${p.steps} switches kept every frame within ${budget.toFixed(1)} ms`);
    }
    for (const [name, s] of [['scroll', scroll], ['switching', switching]].filter(([, s]) => s.frames)) {
      console.log(`${name}: long frames spent (ms) ${JSON.stringify(s.longBy)}; functions ${JSON.stringify(s.longFunctions)}`);
      console.log(`${name}: worst frames ${JSON.stringify(s.worst)}`);
      if (s.profile) console.log(`${name}: JavaScript in long frames, self ms ${JSON.stringify(s.profile.self)}\ninclusive ms ${JSON.stringify(s.profile.total)}`);
    }
    console.log(`\nload average before ${load0.map((v) => v.toFixed(2)).join(' ')}, after ${loadavg().map((v) => v.toFixed(2)).join(' ')}; figures in ${cfg.out}`);
  } catch (err) {
    mkdirSync(cfg.artifacts, { recursive: true });
    for (const [i, p] of (browser?.contexts() ?? []).flatMap((c) => c.pages()).entries()) {
      await p.screenshot({ path: join(cfg.artifacts, `frames-failure-${i}.png`) }).catch(() => {});
    }
    throw err;
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

// End-to-end test of the UI's layout in Chromium on the embedded demo world
// (`kurier --web` without --backend): bubble widths, the composer growing
// with the chat kept at the bottom, the narrow one-pane layout, the
// confirmation before forgetting, SVG icons, times; light and dark, English
// and German. It leaves screenshots in KURIER_ARTIFACTS (layout-*.png).
//
// Run by `make test-web`, which sets KURIER_BINARY to the built desktop binary.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startKurierWeb } from './kurierweb.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.KURIER_BINARY;
const artifacts = resolve(process.env.KURIER_ARTIFACTS ?? join(here, '..', '..', 'build', 'test-artifacts'));

let kurier;
let browser;
let url;
let dataDir;

before(async () => {
  assert.ok(binary, 'KURIER_BINARY must name the built desktop binary (make test-web sets it)');
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'kurier-layout-'));
  ({ proc: kurier, url } = await startKurierWeb(binary, dataDir));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (kurier && kurier.exitCode === null) {
    const exited = new Promise((r) => kurier.once('exit', r));
    kurier.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page on the demo world with the conversation list shown. */
async function openPage({ width = 1100, height = 720, colorScheme = 'light', locale = 'en-US' } = {}) {
  const page = await browser.newPage({ locale, colorScheme, viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url);
  await page.locator('[data-testid=conversation-item]').first().waitFor();
  return { page, errors };
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `layout-${name}.png`) });

/** Opens the Echo bot's chat. */
async function openEcho(page) {
  await page.locator('[data-testid=conversation-item]', { hasText: 'Echo' }).click();
  await page.locator('[data-testid=chat-view]').waitFor();
  await page.locator('[data-testid=message]').first().waitFor();
}

/** Sends text in the open chat and waits for the echo. */
async function sendAndEcho(page, text) {
  const composer = page.locator('[data-testid=composer]');
  await composer.fill(text);
  await composer.press('Enter');
  await page.locator('[data-testid=message][data-outgoing=false]', { hasText: text }).waitFor();
}

/** The geometry of message rows, bubbles, the list and the composer. */
function geometry(page) {
  return page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    };
    const list = document.querySelector('[data-testid=chat-view] [role=list]');
    const rows = [...document.querySelectorAll('[data-testid=message]')].map((row) => ({
      outgoing: row.getAttribute('data-outgoing') === 'true',
      text: row.textContent ?? '',
      row: box(row),
      bubble: box(row.querySelector('.bubble') ?? row),
    }));
    const textarea = document.querySelector('[data-testid=composer]');
    return {
      list: list ? { ...box(list), fromBottom: list.scrollHeight - list.scrollTop - list.clientHeight } : undefined,
      rows,
      composer: textarea ? box(textarea) : undefined,
    };
  });
}

test('bubbles fit their content on both sides; short chats sit on the composer', async () => {
  for (const [scheme, locale] of [
    ['light', 'en-US'],
    ['dark', 'de-DE'],
  ]) {
    const { page, errors } = await openPage({ colorScheme: scheme, locale });
    await openEcho(page);
    await sendAndEcho(page, `hi ${scheme}`);
    const g = await geometry(page);
    const mine = g.rows.findLast((r) => r.outgoing && r.text.includes(`hi ${scheme}`));
    const echo = g.rows.findLast((r) => !r.outgoing && r.text.includes(`hi ${scheme}`));
    assert.ok(mine && echo, 'both bubbles are there');
    for (const [who, r] of [
      ['outgoing', mine],
      ['incoming', echo],
    ]) {
      assert.ok(r.bubble.width < r.row.width * 0.5, `${who} bubble of a short text is ${r.bubble.width}px of a ${r.row.width}px row`);
    }
    assert.ok(Math.abs(echo.bubble.left - echo.row.left) < 2, 'incoming bubbles sit on the left');
    assert.ok(Math.abs(mine.bubble.right - mine.row.right) < 2, 'outgoing bubbles sit on the right');
    // The newest message sits right above the composer, with no gap, however short the chat.
    const last = g.rows.at(-1);
    assert.ok(g.list && last && g.list.bottom - last.row.bottom < 24, `gap under the last message: ${g.list.bottom - last.row.bottom}px`);
    // Times without a leading zero.
    const times = await page.locator('[data-testid=message] time').allTextContents();
    assert.ok(times.length > 0 && times.every((s) => !/^0\d/.test(s)), `times: ${times.join(', ')}`);
    await shot(page, `bubbles-${scheme}-${locale.slice(0, 2)}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the pointer passing over messages and conversations shows their buttons without laying out the page around them', async () => {
  // The reply, menu and reaction buttons of a message are drawn on hover, the
  // menu button of a conversation appears (opacity). Each one shown had made
  // Chromium lay out the whole document: a layout at every bubble the pointer
  // passed while the list scrolled under it (docs/benchmarks.md, UI frame
  // times). Now a conversation's button needs no layout, a message's only
  // that of its buttons' own box.
  const { page, errors } = await openPage();
  await openEcho(page);
  for (const word of ['one', 'two', 'three']) await sendAndEcho(page, `hover ${word}`);
  const bubbles = page.locator('[data-testid=message] .bubble');
  const boxes = [];
  for (let i = 0; i < (await bubbles.count()); i++) {
    const b = await bubbles.nth(i).boundingBox();
    if (b && b.y > 0 && b.y + b.height < 700) boxes.push(b);
  }
  assert.ok(boxes.length >= 4, `only ${boxes.length} bubbles on screen`);
  const items = page.locator('[data-testid=conversation-item]');
  for (let i = 0; i < Math.min(4, await items.count()); i++) {
    const b = await items.nth(i).boundingBox();
    if (b) boxes.push(b);
  }
  await page.mouse.move(boxes[0].x + boxes[0].width / 2, boxes[0].y - 4);
  await page.waitForTimeout(100);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  for (const b of boxes) {
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 2 });
    await page.waitForTimeout(50);
  }
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  const restyled = events.filter((e) => e.name === 'ScheduleStyleRecalculation').length;
  // A message's buttons are drawn into a box of their own size, which Chromium
  // lays out alone (a relayout root): never the page around it.
  const layouts = events.filter((e) => e.name === 'Layout');
  const roots = (e) => (e.args?.endData?.layoutRoots ?? []).map((r) => r.nodeName ?? '?');
  const wide = layouts.filter((e) => !e.args?.beginData?.partialLayout || roots(e).some((n) => !/^SPAN class='tools\b/.test(n)));
  assert.ok(restyled > 0, 'the hovered bubbles were not even restyled: the pointer missed them');
  assert.ok(layouts.length > 0, 'no message drew its buttons: the pointer missed them');
  assert.equal(wide.length, 0, `hovering ${boxes.length} bubbles and conversations laid out more than the buttons' box ${wide.length} times: ${wide.map((e) => roots(e).join('+')).join(', ')}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a conversation's menu button takes the place of its time instead of covering half of it", async () => {
  // The button appeared on hover over the right end of the time: "10:14 ⋮"
  // with "AM" under it. The time now gives way while the button shows (a
  // colour, no layout: the test above still holds), and the name and badge
  // stay clear of it.
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors } = await openPage({ colorScheme });
    const row = page.locator('[data-testid=conversation-item]').first();
    const clip = () =>
      page.evaluate(() => {
        const item = document.querySelector('[data-testid=conversation-item]');
        const row = item.parentElement;
        const box = (el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        const more = row.querySelector('[data-testid=conversation-more]');
        const time = item.querySelector('.time');
        const alpha = (el) => {
          const s = getComputedStyle(el);
          const m = s.color.match(/rgba?\(([^)]*)\)/);
          const a = m && m[1].split(',').length === 4 ? Number(m[1].split(',')[3]) : 1;
          return Number(s.opacity) * a;
        };
        return {
          more: box(more),
          moreShown: Number(getComputedStyle(more).opacity),
          time: box(time),
          timeShown: alpha(time),
          others: [...item.querySelectorAll('.name, .badge, .marker')].map((el) => ({ cls: el.className, ...box(el) })),
        };
      });
    const before = await clip();
    assert.ok(before.timeShown > 0.5 && before.moreShown === 0, `without the pointer: ${JSON.stringify(before)}`);
    await row.hover();
    await page.waitForTimeout(100);
    const g = await clip();
    await page.screenshot({ path: join(artifacts, `layout-conversation-hover-${colorScheme}.png`), clip: { x: 0, y: 90, width: 300, height: 80 } });
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    assert.equal(g.moreShown, 1, 'the menu button did not show on hover');
    if (overlaps(g.more, g.time)) assert.equal(g.timeShown, 0, `the menu button covers part of the time, which still shows: ${JSON.stringify(g)}`);
    for (const o of g.others) assert.ok(!overlaps(g.more, o), `the menu button covers ${o.cls}: ${JSON.stringify(g)}`);
    await page.mouse.move(600, 400);
    await page.waitForTimeout(100);
    const away = await clip();
    assert.ok(away.timeShown > 0.5 && away.moreShown === 0, `the pointer gone: ${JSON.stringify(away)}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the composer grows with its text and the chat stays at the bottom', async () => {
  const { page, errors } = await openPage();
  await openEcho(page);
  // Enough history that the list scrolls.
  for (let i = 1; i <= 6; i++) await sendAndEcho(page, `line of history ${i}`);
  const before = await geometry(page);
  assert.ok(before.list.fromBottom < 2, 'at the bottom after sending');
  const composer = page.locator('[data-testid=composer]');
  await composer.fill('one\ntwo\nthree\nfour');
  await page.waitForFunction((h) => document.querySelector('[data-testid=composer]').getBoundingClientRect().height > h + 30, before.composer.height);
  const grown = await geometry(page);
  assert.ok(grown.composer.height <= 182, `the composer stops growing at its limit: ${grown.composer.height}`);
  assert.ok(grown.list.fromBottom < 2, `the newest message stays in view as the composer grows (${grown.list.fromBottom}px below)`);
  await shot(page, 'composer-grown');
  await composer.fill('a\n'.repeat(30));
  const tall = await geometry(page);
  assert.ok(tall.composer.height <= 182, `capped at 180px: ${tall.composer.height}`);
  assert.equal(await composer.evaluate((el) => getComputedStyle(el).overflowY), 'auto');
  await composer.fill('');
  await page.waitForFunction(() => document.querySelector('[data-testid=composer]').getBoundingClientRect().height < 50);
  // A smaller window keeps the chat at the bottom too.
  await page.setViewportSize({ width: 900, height: 560 });
  await page.waitForFunction(() => {
    const l = document.querySelector('[data-testid=chat-view] [role=list]');
    return l && l.scrollHeight - l.scrollTop - l.clientHeight < 2;
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a narrow window shows one pane: list, chat, back', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, errors } = await openPage({ width: 420, height: 760, colorScheme: scheme });
    const sidebar = page.locator('aside.sidebar');
    const main = page.locator('main.main');
    assert.ok(await sidebar.isVisible(), 'the list shows');
    assert.equal(await main.isVisible(), false, 'the main pane is hidden');
    const width = await sidebar.evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(width >= 410, `the list takes the whole width: ${width}px`);
    await shot(page, `narrow-list-${scheme}`);
    await openEcho(page);
    assert.equal(await sidebar.isVisible(), false, 'the chat replaces the list');
    const back = page.getByRole('button', { name: 'Back to the conversations' });
    assert.ok(await back.isVisible());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing sticks out sideways: ${overflow}px`);
    await shot(page, `narrow-chat-${scheme}`);
    await back.click();
    await page.locator('[data-testid=conversation-item]').first().waitFor();
    assert.equal(await main.isVisible(), false);
    // Panels open over the list the same way, and Close goes back.
    await page.getByRole('button', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    assert.equal(await sidebar.isVisible(), false);
    await page.locator('li > button', { hasText: 'ECHO' }).first().click();
    await shot(page, `narrow-contacts-${scheme}`);
    const panelOverflow = await page.evaluate(() => {
      const p = document.querySelector('section.panel');
      return p ? p.scrollWidth - p.clientWidth : 0;
    });
    assert.ok(panelOverflow <= 0, `the contacts panel does not overflow: ${panelOverflow}px`);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('[data-testid=conversation-item]').first().waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('forgetting this computer asks first, and Escape cancels', async () => {
  for (const [scheme, locale, settings, forget, title, demo] of [
    ['light', 'en-US', 'Settings', 'Forget this computer', 'Forget this computer?', 'This is the demo world'],
    ['dark', 'de-DE', 'Einstellungen', 'Diesen Computer vergessen', 'Diesen Computer vergessen?', 'Das ist die Demo-Welt'],
  ]) {
    const { page, errors } = await openPage({ colorScheme: scheme, locale });
    await page.getByRole('button', { name: settings }).click();
    // The demo world pairs by itself at every start: Settings does not say "you pair again after a restart".
    await page.getByText(demo).waitFor();
    assert.equal(await page.getByText(/pair again after a restart|nach einem Neustart koppelst du erneut/).count(), 0);
    await page.getByRole('button', { name: forget }).click();
    const dialog = page.getByRole('alertdialog', { name: title });
    await dialog.waitFor();
    await shot(page, `confirm-${scheme}-${locale.slice(0, 2)}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Still paired, and the settings are still open.
    await page.getByRole('button', { name: forget }).waitFor();
    await page.locator('[data-testid=conversation-item]').first().waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('icons are SVG, and the contacts panel shows words', async () => {
  const { page, errors } = await openPage();
  await openEcho(page);
  await page.locator('[data-testid=attach]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  // The preview opens with the caption field focused; Enter sends.
  await page.locator('[data-testid=preview-caption]').press('Enter');
  await page.locator('[data-testid=message][data-outgoing=false] svg[data-icon=file]').first().waitFor();
  await page.locator('[data-testid=message][data-outgoing=true] svg[data-icon=checks], [data-testid=message][data-outgoing=true] svg[data-icon=check]').first().waitFor();
  await shot(page, 'icons-chat');
  await page.getByRole('button', { name: 'Contacts' }).click();
  await page.locator('li > button', { hasText: 'ECHO' }).first().click();
  await page.getByText('Active', { exact: true }).waitFor();
  await shot(page, 'contacts');
  await page.getByRole('button', { name: 'Settings' }).click();
  const about = await page.locator('section.panel').textContent();
  assert.match(about, /Version \d/);
  assert.doesNotMatch(about, /Version v/);
  await shot(page, 'settings');
  assert.deepEqual(errors, []);
  await page.close();
});

// End-to-end test of web mode: the real `kurier --web` binary serves the UI to
// Debian's Chromium (driven by playwright-core); the bridge runs over the real
// WebSocket to the real Go services and SQLite store.
//
// Run by `make test-web`, which sets KURIER_BINARY to the built desktop binary.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from './chromium.mjs';
import { startKurierWeb } from './kurierweb.mjs';

const binary = process.env.KURIER_BINARY;

let kurier;
let browser;
let url;
let dataDir;

before(async () => {
  assert.ok(binary, 'KURIER_BINARY must name the built desktop binary (make test-web sets it)');
  dataDir = mkdtempSync(join(tmpdir(), 'kurier-web-'));
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

async function openPage() {
  const page = await browser.newPage({ locale: 'en-US', colorScheme: 'light' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url);
  await page.getByRole('status').waitFor();
  return { page, errors };
}

test('the shell renders over the WebSocket bridge', async () => {
  const { page, errors } = await openPage();
  // Without --backend, kurier runs the embedded demo world and pairs with its phone by itself.
  await page.locator('[data-testid=demo-banner]').waitFor();
  await page.getByText('Connected to your phone').waitFor();
  await page.locator('[data-testid=conversation-item]').first().waitFor();
  assert.equal(await page.getByRole('searchbox').getAttribute('placeholder'), 'Search names and messages');
  // The demo bots have greeted: the title counts their unread messages.
  assert.match(await page.title(), /^(\(\d+\) )?Kurier$/);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.getByRole('searchbox').fill('alice');
  await page.getByText('Nothing matches “alice”.').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('settings change live in every tab and persist', async () => {
  const { page: a } = await openPage();
  const { page: b } = await openPage();
  await a.getByRole('button', { name: 'Settings' }).click();
  await a.getByLabel('Dark').check();
  await a.getByLabel('Deutsch').check();
  // The other tab follows through the settings:changed event.
  await b.getByText('Mit deinem Telefon verbunden').waitFor();
  await b.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  assert.equal(await b.getByRole('searchbox').getAttribute('placeholder'), 'Namen und Nachrichten suchen');
  // A fresh page load reads the stored preferences.
  await a.reload();
  await a.getByText('Mit deinem Telefon verbunden').waitFor();
  assert.equal(await a.evaluate(() => document.documentElement.lang), 'de');
  // Back to defaults for the other tests.
  await a.getByRole('button', { name: 'Einstellungen' }).click();
  await a.getByLabel('Wie das System').first().check();
  await a.getByLabel('Wie das System').last().check();
  await b.getByText('Connected to your phone').waitFor();
  await a.close();
  await b.close();
});

test('a distribution list is created, changed and deleted', async () => {
  const { page, errors } = await openPage();
  await page.locator('[data-testid=conversation-item]').first().waitFor();
  await page.getByRole('button', { name: 'Groups and lists' }).click();
  await page.getByRole('button', { name: 'New distribution list' }).click();
  await page.locator('[data-testid=list-name]').fill('Both bots');
  const boxes = page.locator('[data-testid=list-members] input[type=checkbox]');
  assert.equal(await boxes.count(), 2, 'the demo world has two contacts');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.locator('[data-testid=create-list]').click();
  // It opens the new list's chat; a message there reaches both bots, whose echo comes back 1:1.
  await page.locator('[data-testid=chat-view][data-receiver^="distributionList:"]').waitFor();
  await page.getByRole('button', { name: 'Groups and lists' }).click();
  const lists = page.getByRole('list', { name: 'Distribution lists' });
  await lists.getByText('Both bots').waitFor();
  await lists.getByRole('button', { name: 'Edit' }).click();
  await lists.getByLabel('New name').fill('One bot');
  await lists.locator('input[type=checkbox]').nth(1).uncheck();
  await lists.getByRole('button', { name: 'Save changes' }).click();
  await lists.getByText('One bot').waitFor();
  await lists.getByText('1 member').waitFor();
  await lists.getByRole('button', { name: 'Edit' }).click();
  await lists.getByRole('button', { name: 'Delete list' }).click();
  await lists.getByText('No distribution lists yet.').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

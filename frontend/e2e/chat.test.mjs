// End-to-end test of chatting through the whole stack, every part a real
// process: a kurier-backend, two virtual phones (Alice and Bob, each
// `kurier-phone serve` with its control API), and `kurier --web` paired with
// Alice's phone, driven in Debian's Chromium by playwright-core. Bob is
// played through his phone's control API and its `--bot chatty`, which marks
// texts read, shows a typing indicator and answers (the control API has no
// typing or mark-read call).
//
// Run by `make test-web`, which sets KURIER_BINARY, KURIER_BACKEND_BINARY,
// KURIER_PHONE_BINARY and KURIER_ARTIFACTS (screenshots; default
// ../build/test-artifacts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { makePNG } from './png.mjs';
import { Phone, readJSON, requireBins, startBackend, startKurier as startKurierWeb, stopAll, ui, waitFor } from './world.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(process.env.KURIER_ARTIFACTS ?? join(here, '..', '..', 'build', 'test-artifacts'));
const password = 'correct horse battery';

/** An incoming message event on a phone, as the SSE stream sends it (phone.Event). */
const incoming = (ev, pred) => ev.kind === 'message' && ev.message && !ev.message.Outgoing && pred(ev.message);

// ---------------------------------------------------------------------------
// Files: the blob encryption of Threema file messages

const rotl = (v, c) => ((v << c) | (v >>> (32 - c))) >>> 0;

/** The Salsa20 core (20 rounds); raw = true leaves out the final addition (HSalsa20). */
function salsa20(input, raw) {
  const x = Uint32Array.from(input);
  const qr = (a, b, c, d) => {
    x[b] ^= rotl((x[a] + x[d]) >>> 0, 7);
    x[c] ^= rotl((x[b] + x[a]) >>> 0, 9);
    x[d] ^= rotl((x[c] + x[b]) >>> 0, 13);
    x[a] ^= rotl((x[d] + x[c]) >>> 0, 18);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12);
    qr(5, 9, 13, 1);
    qr(10, 14, 2, 6);
    qr(15, 3, 7, 11);
    qr(0, 1, 2, 3);
    qr(5, 6, 7, 4);
    qr(10, 11, 8, 9);
    qr(15, 12, 13, 14);
  }
  if (!raw) for (let i = 0; i < 16; i++) x[i] = (x[i] + input[i]) >>> 0;
  return x;
}

const sigma = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
const words = (b) => Array.from({ length: b.length / 4 }, (_, i) => b.readUInt32LE(i * 4));

function salsaInput(key, sixteen) {
  const k = words(key);
  const n = words(sixteen);
  return [sigma[0], k[0], k[1], k[2], k[3], sigma[1], n[0], n[1], n[2], n[3], sigma[2], k[4], k[5], k[6], k[7], sigma[3]];
}

/** n bytes of the XSalsa20 key stream for a 32-byte key and a 24-byte nonce. */
function xsalsa20Stream(key, nonce, n) {
  const h = salsa20(salsaInput(key, nonce.subarray(0, 16)), true);
  const subkey = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((j, i) => subkey.writeUInt32LE(h[j], i * 4));
  const out = Buffer.alloc(Math.ceil(n / 64) * 64);
  const block = Buffer.alloc(16);
  nonce.copy(block, 0, 16, 24);
  for (let counter = 0; counter * 64 < n; counter++) {
    block.writeBigUInt64LE(BigInt(counter), 8);
    const s = salsa20(salsaInput(subkey, block), false);
    s.forEach((v, i) => out.writeUInt32LE(v, counter * 64 + i * 4));
  }
  return out.subarray(0, n);
}

const le = (b) => [...b].reduceRight((acc, v) => (acc << 8n) | BigInt(v), 0n);

function poly1305(key, msg) {
  const p = (1n << 130n) - 5n;
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < msg.length; i += 16) {
    const c = msg.subarray(i, i + 16);
    acc = ((acc + le(c) + (1n << BigInt(8 * c.length))) * r) % p;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  const tag = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) tag[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  return tag;
}

/** Opens a NaCl secretbox (tag ‖ ciphertext), throwing if the tag does not verify. */
function secretboxOpen(box, key, nonce) {
  const stream = xsalsa20Stream(key, nonce, 32 + box.length - 16);
  const ct = box.subarray(16);
  if (!poly1305(stream.subarray(0, 32), ct).equals(box.subarray(0, 16))) throw new Error('secretbox: bad tag');
  return Buffer.from(ct.map((b, i) => b ^ stream[32 + i]));
}

/** The file nonce of Threema file messages (phone/files.go: 23 zero bytes, then 1). */
const fileNonce = Buffer.from([...new Array(23).fill(0), 1]);

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// ---------------------------------------------------------------------------
// The world

let root;
let backendJSON;
let alice;
let bob;
let kurier;
let url;
let browser;
let page;
const pageErrors = [];

async function shot(name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `chat-${name}.png`) });
}

/** Starts kurier --web against the backend and resolves with the URL it prints. */
async function startKurier(dir) {
  let url;
  ({ proc: kurier, url } = await startKurierWeb(dir, backendJSON));
  return url;
}

const messageRows = () => page.locator('[data-testid=message]');
const chatView = (receiver) => page.locator(`[data-testid=chat-view][data-receiver="${receiver}"]`);
const linkState = () => page.locator('[data-testid=link-state]').getAttribute('data-state');

/** Types text in the composer and sends it with Enter. */
async function sendText(text) {
  const composer = page.locator('[data-testid=composer]');
  await composer.fill(text);
  await composer.press('Enter');
}

/** The row of the message whose text contains text. */
const rowWith = (text) => messageRows().filter({ hasText: text });

before(async () => {
  requireBins();
  root = mkdtempSync(join(tmpdir(), 'kurier-e2e-'));
  ({ backendJSON } = await startBackend(join(root, 'backend')));

  alice = new Phone('Alice', join(root, 'alice'));
  bob = new Phone('Bob', join(root, 'bob'), 'chatty');
  await Promise.all([alice.init(backendJSON), bob.init(backendJSON)]);
  await Promise.all([alice.serve(), bob.serve()]);
  await Promise.all([alice.call('POST', '/v1/contacts', { id: bob.id }), bob.call('POST', '/v1/contacts', { id: alice.id })]);
  await bob.listen();

  // Bob writes first, so Alice has a conversation before the desktop pairs.
  await bob.send(alice.id, 'Hello Alice, the pineapple is ripe.');
  await waitFor("Bob's first message on Alice's phone", async () => (await alice.messages(bob.id)).length > 0);

  url = await startKurier(join(root, 'desktop'));
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1200, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e));
  if (process.env.KURIER_E2E_FRAMES) {
    const { appendFileSync } = await import('node:fs');
    page.on('websocket', (ws) => ws.on('framereceived', (f) => appendFileSync(process.env.KURIER_E2E_FRAMES, `${f.payload}\n`)));
  }
  page.setDefaultTimeout(15_000);
  await page.goto(url);
});

after(async () => {
  await browser?.close().catch(() => {});
  alice?.close();
  bob?.close();
  await stopAll();
  if (root && !process.env.KURIER_KEEP) rmSync(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// The steps (in order, sharing the world above)

let broken = '';

/** A test step; after a failed one the rest are skipped, and a failure leaves a screenshot. */
function step(name, fn) {
  test(name, async (t) => {
    if (broken) {
      t.skip(`needs “${broken}”, which failed`);
      return;
    }
    try {
      await fn(t);
    } catch (err) {
      broken = name;
      await shot('failure').catch(() => {});
      throw err;
    }
  });
}

step('pairs with Alice’s phone through the pairing code', async () => {
  // Go shows a one-time code at once; remembering this computer (so that the
  // desktop reconnects by itself later) makes a new one.
  const qr = page.locator('[data-testid=pairing-qr]');
  const first = await ui('the first pairing code', qr.getAttribute('data-pairing-code'));
  await page.getByLabel('Remember this computer').check();
  // A window of 1280×720 holds the code and the whole form, without scrolling.
  await page.setViewportSize({ width: 1280, height: 720 });
  const fits = await page.locator('.pairing').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
  assert.ok(fits.scroll <= fits.client, `the pairing screen scrolls at 1280×720: ${JSON.stringify(fits)}`);
  await shot('pairing-720');
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat password').fill(password);
  await page.getByRole('button', { name: 'New code that remembers this computer' }).click();
  await ui('a new pairing code', page.locator('[data-testid=pairing-qr]:not([data-pairing-code="' + first + '"])').waitFor());
  const code = await qr.getAttribute('data-pairing-code');
  assert.ok(code, 'the pairing QR has no data-pairing-code');
  await ui('the QR code image', qr.locator('svg').waitFor());
  await shot('pairing');
  const session = await alice.call('POST', '/v1/pair', { qr: code });
  assert.equal(session.permanent, true, 'a remembered desktop pairs a permanent session');
  await ui('the link to show connected', page.locator('[data-testid=link-state][data-state=connected]').waitFor());
});

step('lists the conversation with Bob and opens it', async () => {
  const item = page.locator(`[data-testid=conversation-item][data-receiver="contact:${bob.id}"]`);
  await ui('Bob’s conversation in the list', item.waitFor());
  await item.click();
  await ui('Bob’s chat', chatView(`contact:${bob.id}`).waitFor());
  await ui('Bob’s first message', rowWith('the pineapple is ripe').waitFor());
});

step('Bob, added by ID, shows as ~Bob and is renamed in the contacts panel', async () => {
  const item = page.locator(`[data-testid=conversation-item][data-receiver="contact:${bob.id}"]`);
  await ui('Bob’s conversation by his nickname', item.filter({ hasText: '~Bob' }).waitFor());
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByRole('list', { name: 'Contact list' }).getByRole('button', { name: /~Bob/ }).click();
  await page.locator('[data-testid=rename-contact]').click();
  await page.locator('[data-testid=contact-first-name]').fill('Bob');
  await page.locator('[data-testid=contact-last-name]').fill('Builder');
  await shot('contact-rename');
  await page.locator('[data-testid=save-contact-name]').click();
  await ui('the new name in the contact list', page.getByRole('list', { name: 'Contact list' }).getByText('Bob Builder').waitFor());
  await shot('contact-renamed');
  await ui('the new name in the conversation list', item.filter({ hasText: 'Bob Builder' }).waitFor());
  const contacts = await alice.call('GET', '/v1/contacts');
  assert.ok(contacts.some((c) => c.id === bob.id && c.display_name === 'Bob Builder' && c.last_name === 'Builder'), JSON.stringify(contacts));
  await page.getByRole('button', { name: 'Close' }).click();
  await item.click();
});

step('a text sent with Enter reaches Bob, keeps the history, gets receipts and Bob’s reply', async () => {
  const before = await messageRows().count();
  const text = 'Hi Bob, this is Alice from the desktop.';
  await sendText(text);
  const sent = rowWith(text);
  await ui('the sent message in the chat', sent.waitFor());
  // The history must stay: the row count never drops below what it was plus the new one.
  assert.equal(await messageRows().count(), before + 1, 'the older messages vanished after sending');
  await ui('Bob’s first message still shown after sending', rowWith('the pineapple is ripe').waitFor());
  assert.equal(await sent.getAttribute('data-outgoing'), 'true');

  const got = await bob.event('Alice’s text', (ev) => incoming(ev, (m) => m.Body === text && m.Sender === alice.id));
  assert.equal(got.message.Conversation, alice.id);
  // The chatty bot marks it read and answers quoting it.
  await ui('the read receipt on the sent message', page.locator(`[data-testid=message][data-outgoing=true][data-state=read]`).filter({ hasText: text }).waitFor());
  await ui('Bob’s reply', messageRows().filter({ hasText: 'Hi Bob, this is Alice' }).and(page.locator('[data-outgoing=false]')).first().waitFor());
  // The bot's reply quotes Alice's text the way the Threema apps do; the desktop shows the quote with its sender.
  const quoted = messageRows().and(page.locator('[data-outgoing=false]')).locator('blockquote').filter({ hasText: text }).first();
  await ui('the quote of Alice’s text in Bob’s reply', quoted.waitFor());
  assert.ok(((await quoted.locator('.quote-sender').textContent()) ?? '').length > 0, 'the quote names no sender');
  await ui('all messages shown', waitFor('three messages', async () => (await messageRows().count()) >= 3));
  await shot('conversation');
});

step('shows Bob typing', async () => {
  const typing = page.locator('[data-testid=typing-indicator]');
  await sendText('Are you typing?');
  // The chatty bot types for 1.5 s before it answers.
  await ui('Bob’s typing indicator', typing.waitFor());
  assert.match((await typing.textContent()) ?? '', /typing/);
  await ui('the typing indicator to go with Bob’s answer', typing.waitFor({ state: 'detached' }));
  await ui('Bob’s answer', messageRows().filter({ hasText: 'Are you typing?' }).and(page.locator('[data-outgoing=false]')).first().waitFor());
});

step('reacts to Bob’s message, takes it back, and shows Bob’s reaction with who reacted', async () => {
  const bobs = messageRows().and(page.locator('[data-outgoing=false]')).filter({ hasText: 'Are you typing?' }).last();
  await bobs.hover();
  await bobs.locator('[data-testid=react]').click();
  const picker = page.getByRole('toolbar', { name: 'Pick a reaction' });
  await ui('the reaction picker', picker.waitFor());
  await shot('reaction-picker');
  await picker.locator('button[data-emoji="❤️"]').click();
  await bob.event('Alice’s ❤️', (ev) => ev.kind === 'message-reaction' && ev.emoji === '❤️' && ev.peer === alice.id && !ev.withdraw);
  const heart = bobs.locator('.chip[data-emoji="❤️"][aria-pressed=true]');
  await ui('the own ❤️ on Bob’s message', heart.waitFor());
  await heart.click();
  await bob.event('Alice’s ❤️ taken back', (ev) => ev.kind === 'message-reaction' && ev.emoji === '❤️' && ev.withdraw);
  await ui('the ❤️ gone', heart.waitFor({ state: 'detached' }));

  // Bob 👍s Alice's first text: the chip shows on it, naming him.
  const text = 'Hi Bob, this is Alice from the desktop.';
  const theirs = (await bob.messages(alice.id)).find((m) => m.text === text && !m.outgoing);
  assert.ok(theirs, 'Bob’s phone lacks Alice’s text');
  await bob.call('POST', `/v1/conversations/${alice.id}/messages/${theirs.id}/reactions`, { emoji: '👍' });
  const thumb = rowWith(text).and(page.locator('[data-outgoing=true]')).locator('.chip[data-emoji="👍"]');
  await ui('Bob’s 👍 on Alice’s text', thumb.waitFor());
  assert.match((await thumb.getAttribute('title')) ?? '', /Bob/);
  assert.equal((await thumb.textContent())?.replace(/\s/g, ''), '👍1');
  await shot('reactions');
  assert.deepEqual(pageErrors, []);
});

step('picks an emoji in the picker, turns a typed :tada: into 🎉, and Bob gets the emoji, drawn large', async () => {
  const composer = page.locator('[data-testid=composer]');
  await page.locator('[data-testid=emoji-button]').click();
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' });
  await ui('the emoji picker with its emoji', picker.locator('[role=option]').first().waitFor());
  await shot('emoji-picker');
  await picker.getByRole('combobox', { name: 'Search emoji' }).fill('rocket');
  await ui('🚀 first in the search', picker.locator('[role=option][aria-selected=true][data-emoji="🚀"]').waitFor());
  await page.keyboard.press('Enter');
  await ui('the picker closed', picker.waitFor({ state: 'detached' }));
  assert.equal(await composer.inputValue(), '🚀');
  await composer.pressSequentially(' :tad');
  const suggestions = page.getByRole('listbox', { name: 'Emoji suggestions' });
  await ui('the shortcode suggestions', suggestions.locator('[data-emoji="🎉"]').waitFor());
  await shot('emoji-suggestions');
  await composer.pressSequentially('a: ');
  assert.equal(await composer.inputValue(), '🚀 🎉 ');
  await composer.press('Enter');
  const got = await bob.event('Alice’s emoji', (ev) => incoming(ev, (m) => m.Sender === alice.id && m.Body.includes('🚀')));
  assert.equal(got.message.Body.trim(), '🚀 🎉');
  const big = rowWith('🚀').locator('.bubble.big-emoji');
  await ui('the emoji drawn large', big.waitFor());
  await shot('big-emoji');
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await shot('big-emoji-dark');
  await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
  assert.deepEqual(pageErrors, []);
});

/** Waits for Bob's phone to receive the file named name from Alice; returns the message and its file info. */
async function bobsFile(name) {
  const got = await bob.event(`Alice’s ${name}`, (ev) => incoming(ev, (m) => m.Sender === alice.id && JSON.parse(m.Extra || '{}').name === name));
  return { message: got.message, info: JSON.parse(got.message.Extra) };
}

/** The plain bytes of a file message Bob received (downloaded from the blob server and decrypted). */
async function blobOf(info) {
  const blobURL = new URL(info.blob_id, readJSON(backendJSON).blob.url);
  const res = await fetch(blobURL);
  assert.equal(res.status, 200, `GET ${blobURL}`);
  return secretboxOpen(Buffer.from(await res.arrayBuffer()), Buffer.from(info.key, 'hex'), fileNonce);
}

const preview = () => page.locator('[data-testid=attachment-preview]');

step('two images chosen together go through the preview, each with its caption, and reach Bob intact', async () => {
  const small = makePNG();
  const big = makePNG(1600, 1000, 90);
  await page.locator('[data-testid=composer]').fill('a draft that waits');
  await page.locator('[data-testid=attach]').setInputFiles([
    { name: 'gradient.png', mimeType: 'image/png', buffer: small },
    { name: 'landscape.png', mimeType: 'image/png', buffer: big },
  ]);
  await ui('the preview', preview().waitFor());
  const items = preview().locator('[data-testid=preview-item]');
  assert.equal(await items.count(), 2);
  // The last file added is the one shown; a click on a thumbnail selects another.
  const caption = preview().locator('[data-testid=preview-caption]');
  // The caption field grows with its text, as the composer does, and shrinks back.
  const one = (await caption.boundingBox())?.height ?? 0;
  await caption.fill('a wide landscape\nover\nthree lines');
  const three = (await caption.boundingBox())?.height ?? 0;
  assert.ok(three > one + 30, `the caption field did not grow: ${one} px, then ${three} px`);
  await caption.fill('a wide landscape');
  assert.equal((await caption.boundingBox())?.height, one, 'the caption field did not shrink back');
  await items.first().locator('button.thumb').click();
  await caption.fill('a gradient');
  // Add a third file, then remove it again.
  await preview().locator('[data-testid=preview-add]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') });
  await ui('the third file', items.nth(2).waitFor());
  await ui('the file card of a non-image', preview().locator('[data-testid=preview-stage]').getByText('notes.txt').waitFor());
  await items.nth(2).getByRole('button', { name: 'Remove notes.txt' }).click();
  await ui('the third file removed', waitFor('two files in the preview', async () => (await items.count()) === 2));
  await items.first().locator('button.thumb').click();
  assert.equal(await caption.inputValue(), 'a gradient');
  await shot('preview');
  await caption.press('Enter');
  await ui('the preview closed', preview().waitFor({ state: 'detached' }));
  assert.equal(await page.locator('[data-testid=composer]').inputValue(), 'a draft that waits', 'the draft was lost');

  for (const [name, png, text] of [['gradient.png', small, 'a gradient'], ['landscape.png', big, 'a wide landscape']]) {
    const { message, info } = await bobsFile(name);
    assert.equal(info.mime, 'image/png');
    assert.equal(info.size, png.length);
    assert.equal(info.rendering, 1, `${name} not sent as media`);
    assert.equal(message.Body, text, `${name} reached Bob without its caption`);
    assert.equal(sha256(await blobOf(info)), sha256(png), `the ${name} Bob got differs from the one sent`);
  }
  // Shown inline: the thumbnail (here the image itself, cached when it was sent).
  const img = rowWith('a gradient').locator('img').first();
  await ui('the image in the chat', img.waitFor());
  assert.match((await img.getAttribute('src')) ?? '', /^data:image\//, 'the thumbnail is not an image');
  await ui('the second image in the chat', rowWith('a wide landscape').locator('img').first().waitFor());
  await page.locator('[data-testid=composer]').fill('');
  assert.deepEqual(pageErrors, []);
});

step('an image sent “as file” reaches Bob as a file and shows as one', async () => {
  const png = makePNG(40, 30, 160);
  await page.locator('[data-testid=attach]').setInputFiles({ name: 'original.png', mimeType: 'image/png', buffer: png });
  await ui('the preview', preview().waitFor());
  await preview().locator('[data-testid=preview-as-file]').check();
  await preview().locator('[data-testid=preview-caption]').fill('the original file');
  await shot('preview-as-file');
  await preview().locator('[data-testid=preview-send]').click();
  await ui('the preview closed', preview().waitFor({ state: 'detached' }));
  const { message, info } = await bobsFile('original.png');
  assert.equal(info.rendering, 0, 'sent as media, not as a file');
  assert.equal(message.Body, 'the original file');
  assert.equal(sha256(await blobOf(info)), sha256(png), 'the file Bob got differs from the one sent');
  const row = rowWith('the original file');
  await ui('the file in the chat', row.locator('svg[data-icon=file]').waitFor());
  assert.equal(await row.locator('button.image').count(), 0, 'an image sent as a file shows as an image');
  await shot('sent-as-file');
  assert.deepEqual(pageErrors, []);
});

step('the viewer shows an image with sender, date and caption, goes back and forth, zooms, pans, saves and closes', async () => {
  // Bob sends one too: the viewer names the sender.
  const bobs = makePNG(64, 48, 30);
  await bob.call('POST', '/v1/messages', { to: alice.id, file: { name: 'from-bob.png', mime: 'image/png', data: bobs.toString('base64'), caption: 'Bob’s picture' } });
  await ui('Bob’s image', rowWith('Bob’s picture').locator('button.image').waitFor());

  await rowWith('a wide landscape').locator('button.image').click();
  const viewer = page.locator('[data-testid=image-viewer]');
  await ui('the viewer', viewer.waitFor());
  const caption = viewer.locator('[data-testid=viewer-caption]');
  await ui('the caption', caption.filter({ hasText: 'a wide landscape' }).waitFor());
  assert.equal(await viewer.locator('[data-testid=viewer-sender]').textContent(), 'You');
  assert.match((await viewer.locator('[data-testid=viewer-date]').textContent()) ?? '', /\d{4}/, 'no date');
  await ui('the full image', viewer.locator('img[data-full=true]').waitFor());
  const zoom = viewer.locator('[data-testid=viewer-zoom]');
  const fitted = Number.parseInt((await zoom.textContent()) ?? '', 10);
  assert.ok(fitted > 0 && fitted < 100, `a 1600 px image is fitted to the window, not ${fitted} %`);
  await shot('viewer');

  // Previous and next, with the keys and the buttons.
  await page.keyboard.press('ArrowLeft');
  await ui('the previous image', caption.filter({ hasText: 'a gradient' }).waitFor());
  await viewer.locator('[data-testid=viewer-next]').click();
  await ui('the next image', caption.filter({ hasText: 'a wide landscape' }).waitFor());
  await page.keyboard.press('ArrowRight');
  await ui('Bob’s image', caption.filter({ hasText: 'Bob’s picture' }).waitFor());
  assert.match((await viewer.locator('[data-testid=viewer-sender]').textContent()) ?? '', /Bob/);
  assert.ok(await viewer.locator('[data-testid=viewer-next]').isDisabled(), 'next after the newest image');
  await viewer.locator('[data-testid=viewer-prev]').click();
  await ui('back to the landscape', caption.filter({ hasText: 'a wide landscape' }).waitFor());
  await ui('the full image again', viewer.locator('img[data-full=true]').waitFor());

  // Zoom: the button, the keys, a double-click to 100 %, a drag pans.
  await viewer.locator('[data-testid=viewer-zoom-in]').click();
  await waitFor('zoomed in', async () => Number.parseInt((await zoom.textContent()) ?? '', 10) > fitted);
  await page.keyboard.press('0');
  await waitFor('back to the fit', async () => Number.parseInt((await zoom.textContent()) ?? '', 10) === fitted);
  const stage = viewer.locator('[data-testid=viewer-stage]');
  const box = await stage.boundingBox();
  assert.ok(box);
  await stage.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
  await waitFor('100 % after a double-click', async () => (await zoom.textContent()) === '100 %');
  const img = viewer.locator('img');
  const before = await img.evaluate((el) => el.style.transform);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 80, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await img.evaluate((el) => el.style.transform), before, 'dragging did not pan the zoomed image');
  await shot('viewer-zoomed');
  await page.keyboard.press('Control+0'); // not a viewer key with Ctrl: nothing breaks
  await page.keyboard.press('-');
  await waitFor('zoomed out', async () => Number.parseInt((await zoom.textContent()) ?? '', 10) < 100);

  // Save: a download under the file's name, with its bytes.
  const [download] = await Promise.all([page.waitForEvent('download'), viewer.locator('[data-testid=viewer-save]').click()]);
  assert.equal(download.suggestedFilename(), 'landscape.png');
  const saved = readFileSync(await download.path());
  assert.equal(sha256(saved), sha256(makePNG(1600, 1000, 90)), 'the saved image differs from the one sent');

  await page.keyboard.press('Escape');
  await ui('the viewer closed', viewer.waitFor({ state: 'detached' }));
  const focused = await page.evaluate(() => document.activeElement?.closest('[data-testid=message]')?.textContent ?? '');
  assert.match(focused, /a wide landscape/, 'the focus did not go back to the image');
  assert.deepEqual(pageErrors, []);
});

/** A real WAV file: mono 16-bit PCM at 8 kHz, a tone that swells and fades for `seconds`. */
function makeWAV(seconds) {
  const rate = 8000;
  const n = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const envelope = Math.sin((Math.PI * i) / n);
    buf.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * envelope * 20000), 44 + i * 2);
  }
  return buf;
}

step('a voice message from Bob plays in the bubble with its waveform', async () => {
  const wav = makeWAV(2);
  await bob.call('POST', '/v1/messages', { to: alice.id, file: { name: 'bob-voice.wav', mime: 'audio/wav', data: wav.toString('base64'), duration: 2 } });
  const voice = messageRows().locator('[data-testid=voice]').last();
  await ui('the voice player', voice.waitFor());
  assert.equal(await voice.locator('[data-testid=voice-time]').textContent(), '0:02');
  await voice.locator('[data-testid=voice-play]').click();
  await waitFor('the voice message to play', async () => (await voice.locator('audio').evaluate((a) => a.currentTime)) > 0.2, 10_000);
  await waitFor('the progress over the waveform', async () => Number(await voice.locator('[role=slider]').getAttribute('data-progress')) > 0);
  const bars = await voice.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
  assert.equal(bars.length, 48);
  assert.ok(Math.max(...bars) > 3 * Math.min(...bars), `the waveform is flat: ${bars.join(',')}`);
  await shot('voice');
  assert.deepEqual(pageErrors, []);
});

step('a voice message recorded from the microphone reaches Bob', async () => {
  await page.locator('[data-testid=composer]').fill('');
  await page.locator('[data-testid=record]').click();
  const recording = page.locator('[data-testid=recording]');
  await ui('the recording bar', recording.waitFor());
  await page.waitForTimeout(2000);
  assert.match((await recording.textContent()) ?? '', /Recording 0:0[1-3]/);
  await shot('recording');
  await page.locator('[data-testid=send-recording]').click();
  const got = await bob.event('Alice’s voice message', (ev) => incoming(ev, (m) => m.Sender === alice.id && m.Extra?.includes('voice-')));
  const info = JSON.parse(got.message.Extra);
  assert.match(info.name, /^voice-\d{8}-\d{6}\.(webm|ogg)$/);
  assert.match(info.mime, /^audio\/(webm|ogg)$/);
  assert.ok(info.size > 0, 'the voice message is empty');
  assert.equal(info.rendering, 1, 'not sent as a voice message (inline media)');
  await ui('the sent voice message in the chat', messageRows().filter({ has: page.locator('[data-testid=voice]') }).nth(1).waitFor());
  assert.deepEqual(pageErrors, []);
});

step('a group created in the UI with Bob carries a message to him', async () => {
  await page.getByRole('button', { name: 'Groups and lists' }).click();
  await page.locator('[data-testid=new-group]').click();
  await page.locator('[data-testid=group-name]').fill('Fruit club');
  await page.locator(`[data-testid=group-members] input[value="${bob.id}"]`).check();
  await page.locator('[data-testid=create-group]').click();
  const chat = page.locator('[data-testid=chat-view][data-receiver^="group:"]');
  await ui('the new group’s chat', chat.waitFor());
  const text = 'Welcome to the fruit club!';
  await sendText(text);
  const got = await bob.event('the group message', (ev) => incoming(ev, (m) => m.Body === text));
  assert.match(got.message.Conversation, /^g:/);
  assert.equal(got.message.Sender, alice.id);
  const groups = await bob.call('GET', '/v1/groups');
  assert.ok(
    groups.some((g) => g.name === 'Fruit club' && g.creator === alice.id),
    `Bob's phone lacks the group: ${JSON.stringify(groups)}`,
  );
  await ui(
    'the group in the conversation list',
    page.locator('[data-testid=conversation-item][data-receiver^="group:"]').filter({ hasText: 'Fruit club' }).waitFor(),
  );
  // Bob's phone runs Chatty, which answers in the group quoting the text: Alice's own row.
  const own = rowWith(text).and(page.locator('[data-outgoing=true]'));
  await ui('the group message sent', own.and(page.locator('[data-state=sent],[data-state=delivered],[data-state=read]')).waitFor());
  await shot('group');
});

/** [r, g, b] of a CSS colour as getComputedStyle gives it, or of #rrggbb. */
function rgb(css) {
  const hex = /^#([0-9a-f]{6})$/i.exec(css.trim());
  if (hex) return [0, 2, 4].map((i) => Number.parseInt(hex[1].slice(i, i + 2), 16));
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  assert.ok(m, `not a colour: ${css}`);
  return m.slice(1, 4).map(Number);
}

/** The WCAG contrast ratio of two colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = rgb(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

step('in the group Bob’s run names him once, in his ID colour, beside his avatar; Alice edits and deletes for everyone', async () => {
  await ui('the group chat', page.locator('[data-testid=chat-view][data-receiver^="group:"]').waitFor());
  const fruit = (await bob.call('GET', '/v1/groups')).find((g) => g.name === 'Fruit club');
  assert.ok(fruit, 'Bob has no Fruit club');
  // Bob's phone runs Chatty, which answers Alice's welcome in the group; then Bob writes twice.
  const incomingRows = () => messageRows().and(page.locator('[data-outgoing=false]'));
  await ui('Chatty’s answer in the group', incomingRows().filter({ hasText: 'You said' }).waitFor());
  for (const text of ['I brought mangoes.', 'And two melons!']) {
    await bob.call('POST', '/v1/messages', { group: { creator: fruit.creator, id: fruit.id }, text });
    await ui(`“${text}” in the group`, rowWith(text).waitFor());
  }
  assert.equal(await incomingRows().count(), 3, 'Bob’s three messages');
  assert.equal(await incomingRows().locator('.sender').count(), 1, 'Bob’s name is not shown once for the run');
  assert.equal(await incomingRows().first().locator('.sender').textContent(), 'Bob Builder');
  assert.equal(await incomingRows().locator('[data-testid=sender-avatar] .avatar').count(), 1, 'not one avatar for the run');
  await ui('the avatar beside the last', incomingRows().last().locator('[data-testid=sender-avatar] .avatar').waitFor());
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  for (const t of ['light', 'dark']) {
    await page.evaluate((x) => (document.documentElement.dataset.theme = x), t);
    const got = await incomingRows()
      .first()
      .evaluate((row, x) => ({
        name: getComputedStyle(row.querySelector('.sender')).color,
        want: row.style.getPropertyValue(`--sender-${x}`),
        bubble: getComputedStyle(row.querySelector('.bubble')).backgroundColor,
      }), t);
    assert.deepEqual(rgb(got.name), rgb(got.want), `${t}: the name is not in Bob’s ID colour`);
    assert.ok(contrast(got.name, got.bubble) >= 4.5, `${t}: the name ${got.name} on ${got.bubble} has contrast ${contrast(got.name, got.bubble)}`);
    await shot(`group-senders-${t}`);
  }
  await page.evaluate((x) => (document.documentElement.dataset.theme = x), theme);

  // Edit for everyone: Bob's phone shows the new text, the desktop "edited".
  const menu = page.locator('[data-testid=message-menu]');
  const welcome = rowWith('Welcome to the fruit club!').and(page.locator('[data-outgoing=true]'));
  await welcome.locator('.bubble').click({ button: 'right' });
  await ui('the menu of Alice’s group text', menu.waitFor());
  await menu.locator('[data-action=edit]').click();
  await ui('the composer in edit mode', page.locator('[data-testid=editing]').waitFor());
  // In a group, members whose app cannot show edits keep the original: the composer says so.
  await ui('the note on older apps', page.locator('[data-testid=edit-group-note]').waitFor());
  await shot('group-editing');
  const composer = page.locator('[data-testid=composer]');
  assert.equal(await composer.inputValue(), 'Welcome to the fruit club!');
  await composer.fill('Welcome to the fruit club, Bob!');
  await composer.press('Enter');
  const edited = await bob.event('the edit', (ev) => ev.kind === 'message-edited' && ev.message?.Body === 'Welcome to the fruit club, Bob!');
  assert.match(edited.conversation, /^g:/);
  await ui(
    '“edited” in the group',
    rowWith('Welcome to the fruit club, Bob!').and(page.locator('[data-outgoing=true]')).locator('.edited').waitFor(),
  );
  // Bob's answer quoted the first words: it now quotes the new ones, the original gone everywhere.
  await ui(
    'Bob’s answer quoting the edited text',
    page.locator('[data-testid=message][data-outgoing=false] blockquote', { hasText: 'Welcome to the fruit club, Bob!' }).waitFor(),
  );

  // Delete for everyone: gone here and on Bob's phone.
  await sendText('Oops, wrong group.');
  const oops = await bob.event('the slip', (ev) => incoming(ev, (m) => m.Body === 'Oops, wrong group.'));
  const own = rowWith('Oops, wrong group.').and(page.locator('[data-outgoing=true]'));
  await ui('the slip sent', own.and(page.locator('[data-state=sent],[data-state=delivered],[data-state=read]')).waitFor());
  await own.locator('.bubble').click({ button: 'right' });
  await ui('the menu of the slip', menu.waitFor());
  await menu.locator('[data-action=deleteForEveryone]').click();
  await ui('the confirmation naming older apps', page.locator('[data-testid=confirm-dialog]').filter({ hasText: 'members with an older app keep seeing it' }).waitFor());
  await page.locator('[data-testid=confirm-ok]').click();
  await ui('the slip gone', own.waitFor({ state: 'detached' }));
  await bob.event('the deletion', (ev) => ev.kind === 'message-deleted' && ev.message_id === oops.message_id);
  // And his answer to the slip no longer quotes it.
  await ui(
    'Bob’s answer to the slip quoting nothing',
    rowWith('Tell me more').filter({ hasText: 'wrong group' }).locator('.quote-gone').waitFor(),
  );
  assert.equal(await page.locator('[data-testid=message] blockquote', { hasText: 'Oops, wrong group.' }).count(), 0, 'a quote still shows the deleted text');
  await shot('group-edited');
  assert.deepEqual(pageErrors, []);
});

step('search finds a message and opens the chat on it', async () => {
  const search = page.locator('[data-testid=search]');
  await search.fill('pineapple');
  await search.press('Enter');
  const hit = page.locator('[data-testid=search-hit]').first();
  await ui('a search hit', hit.waitFor());
  const id = await hit.getAttribute('data-message-id');
  await shot('search');
  await hit.click();
  await ui('Bob’s chat from the search', chatView(`contact:${bob.id}`).waitFor());
  await ui('the message found', page.locator(`[data-testid=message][data-message-id="${id}"]`).filter({ hasText: 'pineapple' }).waitFor());
  await search.fill('');
});

step('the message menu forwards Bob’s text to the group and shows a message’s details', async () => {
  await ui('Bob’s chat', chatView(`contact:${bob.id}`).waitFor());
  // Details of Alice's own text: the phone reports when Bob's phone got it.
  const own = rowWith('Hi Bob, this is Alice from the desktop.').and(page.locator('[data-outgoing=true]')).first();
  await own.locator('.bubble').click({ button: 'right' });
  const menu = page.locator('[data-testid=message-menu]');
  await ui('the message menu', menu.waitFor());
  await shot('menu');
  await menu.locator('[data-action=details]').click();
  const details = page.locator('[data-testid=details-dialog]');
  await ui('the details', details.waitFor());
  assert.notEqual(await details.locator('[data-detail=delivered]').textContent(), 'unknown');
  await shot('details');
  await page.keyboard.press('Escape');
  await ui('the details closed', details.waitFor({ state: 'detached' }));

  // Bob's first text, forwarded to the group from the keyboard-opened menu.
  const text = 'Hello Alice, the pineapple is ripe.';
  const bobs = rowWith(text).and(page.locator('[data-outgoing=false]')).first();
  await bobs.locator('.bubble').focus();
  await page.keyboard.press('Shift+F10');
  await ui('the message menu from the keyboard', menu.waitFor());
  await menu.locator('[data-action=forward]').click();
  const dialog = page.locator('[data-testid=forward-dialog]');
  await ui('the forward dialog', dialog.waitFor());
  await dialog.locator('[data-testid=forward-search]').fill('fruit');
  await dialog.locator('[data-testid=forward-target][data-receiver^="group:"]').check();
  await shot('forward');
  await dialog.locator('[data-testid=forward-send]').click();
  await ui('the forward dialog closed', dialog.waitFor({ state: 'detached' }));
  const got = await bob.event('the forwarded text in the group', (ev) => incoming(ev, (m) => m.Body === text && /^g:/.test(m.Conversation)));
  assert.equal(got.message.Sender, alice.id);
  assert.deepEqual(pageErrors, []);
});

step('reconnects by itself after Alice’s phone is killed, sends what was written meanwhile and shows what Bob sent', async (t) => {
  const started = Date.now();
  await ui('Bob’s chat open', chatView(`contact:${bob.id}`).waitFor());
  await alice.proc.stop('SIGKILL');
  const away = ['Are you there, Alice?', 'Call me when you are back.'];
  for (const text of away) await bob.send(alice.id, text);
  await ui(
    'the link to show it lost the phone',
    waitFor('link-state not connected', async () => (await linkState()) !== 'connected', 45_000, 200),
  );
  const lost = await linkState();
  t.diagnostic(`the UI showed the link ${lost} ${Date.now() - started} ms after the kill`);
  assert.ok(['disconnected', 'connecting'].includes(lost ?? ''), `link state while the phone is down: ${lost}`);
  // Written while the phone is away: it waits, says so, and goes out when the phone is back.
  const waiting = 'Written while my phone was away';
  await sendText(waiting);
  const queued = rowWith(waiting).and(page.locator('[data-state=queued]'));
  await ui('the text shown as waiting for the phone', queued.waitFor());
  assert.match((await queued.textContent()) ?? '', /Waiting for your phone/);
  await shot('queued');
  await alice.serve();
  await ui('the link to reconnect by itself', page.locator('[data-testid=link-state][data-state=connected]').waitFor({ timeout: 30_000 }));
  t.diagnostic(`connected again ${Date.now() - started} ms after the kill`);
  await bob.event('the text written while the phone was away', (ev) => incoming(ev, (m) => m.Body === waiting), 30_000);
  await ui('the waiting text sent', rowWith(waiting).and(page.locator('[data-state=sent],[data-state=delivered],[data-state=read]')).waitFor());
  for (const text of away) await ui(`Bob’s message “${text}”`, rowWith(text).waitFor());
  await ui('the older history still shown', rowWith('the pineapple is ripe').waitFor());
  assert.deepEqual(pageErrors, []);
});

step('after a restart of the desktop the remembered session opens with the password, without a new code', async (t) => {
  const started = Date.now();
  await kurier.stop('SIGTERM');
  url = await startKurier(join(root, 'desktop'));
  await page.goto(url);
  const field = page.locator('[data-testid=unlock-password]');
  await ui('the locked screen', field.waitFor());
  assert.equal(await page.locator('[data-testid=pairing-qr]').count(), 0, 'a pairing code was shown for a remembered session');
  await shot('locked');
  await field.fill('not the password');
  await page.locator('[data-testid=unlock]').click();
  await ui('the wrong password refused', page.getByRole('alert').filter({ hasText: /wrong|password/i }).waitFor());
  await field.fill(password);
  await page.locator('[data-testid=unlock]').click();
  // The cache shows the conversations at once, then the link comes back in trusted-key mode.
  await ui('the cached conversation list', page.locator(`[data-testid=conversation-item][data-receiver="contact:${bob.id}"]`).waitFor());
  await ui('the link back without a pairing code', page.locator('[data-testid=link-state][data-state=connected]').waitFor({ timeout: 30_000 }));
  t.diagnostic(`unlocked and connected ${Date.now() - started} ms after the restart`);
  await page.locator(`[data-testid=conversation-item][data-receiver="contact:${bob.id}"]`).filter({ hasText: 'Bob Builder' }).click();
  await ui('the history after the restart', rowWith('Call me when you are back.').waitFor());
  await sendText('Back after a restart');
  await bob.event('the text after the restart', (ev) => incoming(ev, (m) => m.Body === 'Back after a restart'));
  assert.deepEqual(pageErrors, []);
});

step('scrolling back loads older messages without moving what is on screen', async (t) => {
  const n = 120;
  const label = (i) => `history ${String(i).padStart(3, '0')}`;
  for (let i = 0; i < n; i++) await bob.send(alice.id, label(i));
  // 120 texts through Bob's phone, the chat server, Alice's phone and the link, right after the desktop's restart
  // reconnected it: on a loaded machine that has taken 36-53 s, so this waits a minute.
  await ui('the newest of the history', rowWith(label(n - 1)).waitFor({ timeout: 60_000 }));
  // A fresh page holds only the newest page of the conversation.
  await page.reload();
  await page.locator(`[data-testid=conversation-item][data-receiver="contact:${bob.id}"]`).click();
  await ui('the newest of the history after a reload', rowWith(label(n - 1)).waitFor());
  const scroller = page.getByRole('list', { name: 'Messages' });
  const before = await messageRows().count();
  assert.ok(!(await rowWith(label(0)).count()), 'the whole history was loaded at once');
  const firstId = await messageRows().first().getAttribute('data-message-id');
  const first = page.locator(`[data-testid=message][data-message-id="${firstId}"]`);
  // Scroll to the top and measure in the same task, before the older page can arrive.
  const y0 = await scroller.evaluate((el, id) => {
    el.scrollTop = 0;
    return el.querySelector(`[data-message-id="${id}"]`)?.getBoundingClientRect().y;
  }, firstId);
  await ui(
    'an older page',
    waitFor('more message rows', async () => (await page.locator('[data-testid=message]').count()) > before || (await rowWith(label(0)).count()) > 0),
  );
  await page.waitForTimeout(200); // let the list settle after the prepend
  const y1 = (await first.boundingBox())?.y;
  t.diagnostic(`first row before the older page at y=${y0}, after at y=${y1}`);
  assert.ok(y0 !== undefined && y1 !== undefined, 'the first row left the page');
  assert.ok(Math.abs(y1 - y0) <= 4, `the messages on screen jumped by ${y1 - y0} px when older ones were loaded`);
  assert.ok((await scroller.evaluate((el) => el.scrollTop)) > 0, 'the older messages were not placed above the view');
  assert.deepEqual(pageErrors, []);
});

step('a conversation is pinned on the phone, muted, archived and back, and its messages deleted, through its menu', async () => {
  const item = (sel = '') => page.locator(`[data-testid=conversation-item][data-receiver^="group:"]${sel}`).filter({ hasText: 'Fruit club' });
  const menuItem = (name) => page.getByTestId('conversation-menu').getByRole('menuitem', { name, exact: true });
  await item().click({ button: 'right' });
  await ui('the conversation menu', page.getByTestId('conversation-menu').waitFor());
  await shot('conversation-menu');
  await menuItem('Pin to the top').click();
  await ui('the group pinned', item().getByRole('img', { name: 'Pinned' }).waitFor());
  const first = page.locator('[data-testid=conversation-item]').first();
  assert.match((await first.textContent()) ?? '', /Fruit club/, 'the pinned group is not at the top');
  const pinned = (await alice.call('GET', '/v1/conversations')).find((c) => c.id.startsWith('g:'));
  assert.equal(pinned?.pinned, true, `Alice's phone did not pin the group: ${JSON.stringify(pinned)}`);

  await item().hover();
  await page.locator('[data-testid=conversation-more]').first().click();
  await menuItem('Mute for 1 hour').click();
  await ui('the group muted', item().getByRole('img', { name: 'Muted' }).waitFor());

  await item().click({ button: 'right' });
  await menuItem('Archive').click();
  await ui('the group gone from the list', item().waitFor({ state: 'detached' }));
  await page.getByTestId('archived').click();
  await ui('the group in the archive', item().waitFor());
  await shot('archived');
  await item().click({ button: 'right' });
  await menuItem('Take out of the archive').click();
  await ui('back in the list', item().waitFor());

  await item().click({ button: 'right' });
  await menuItem('Delete all messages…').click();
  await ui('the question before deleting', page.getByRole('alertdialog').or(page.getByRole('dialog')).first().waitFor());
  await shot('delete-conversation');
  await page.getByRole('button', { name: 'Delete all messages', exact: true }).click();
  await item().click();
  await ui('the group chat empty', waitFor('no messages in the group', async () => (await messageRows().count()) === 0));
  const fruit = (await alice.call('GET', '/v1/conversations')).find((c) => c.id.startsWith('g:'));
  assert.equal(fruit?.messages, 0, `Alice's phone still has the group's messages: ${JSON.stringify(fruit)}`);
  assert.deepEqual(pageErrors, []);
});

step('the new chat button opens a chat with any contact', async () => {
  await page.getByTestId('new-chat-button').click();
  const dialog = page.getByTestId('new-chat');
  await ui('the new chat dialog', dialog.waitFor());
  await dialog.getByRole('combobox').fill('Bob');
  await shot('new-chat');
  await dialog.getByRole('combobox').press('Enter');
  await ui('Bob’s chat', chatView(`contact:${bob.id}`).waitFor());
  assert.deepEqual(pageErrors, []);
});

// A Kurier world of real processes for the browser suites and benchmarks: a
// kurier-backend, virtual phones (`kurier-phone serve` with its control API)
// and `kurier --web` against that backend. Used by chat.test.mjs and
// frames.bench.mjs.
//
// The binaries come from KURIER_BINARY, KURIER_BACKEND_BINARY and
// KURIER_PHONE_BINARY (`make test-web` and `make bench-web` set them).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The built binaries, from the environment. */
export const bins = {
  kurier: process.env.KURIER_BINARY,
  backend: process.env.KURIER_BACKEND_BINARY,
  phone: process.env.KURIER_PHONE_BINARY,
};

/** Fails unless every binary is named in the environment. */
export function requireBins(target = 'make test-web') {
  for (const [name, path] of Object.entries(bins)) {
    assert.ok(path, `KURIER_${name === 'kurier' ? '' : `${name.toUpperCase()}_`}BINARY must name the built ${name} binary (${target} sets it)`);
  }
}

// ---------------------------------------------------------------------------
// Processes

/** Every process started and not yet stopped, for the failure messages and stopAll(). */
const procs = new Set();

/** A child process that keeps the tail of its output for failure messages. */
export class Proc {
  constructor(name, file, args) {
    this.name = name;
    this.lines = [];
    this.out = '';
    this.child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((r) => this.child.once('exit', (code, signal) => r({ code, signal })));
    const keep = (d) => {
      this.lines.push(...String(d).split('\n').filter(Boolean));
      if (this.lines.length > 40) this.lines.splice(0, this.lines.length - 40);
    };
    this.child.stderr.on('data', keep);
    this.child.stdout.on('data', (d) => {
      this.out += d;
      keep(d);
    });
    procs.add(this);
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(n = 12) {
    const state = this.running ? 'running' : `exited ${this.child.exitCode ?? this.child.signalCode}`;
    return `--- ${this.name} (${state}), last lines:\n${this.lines.slice(-n).join('\n')}`;
  }

  /** Stops the process (SIGKILL after 5 s) and waits for it. */
  async stop(signal = 'SIGTERM') {
    procs.delete(this);
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Stops every process still running. */
export function stopAll() {
  return Promise.all([...procs].map((p) => p.stop()));
}

/** The tails of every running process's output, for a failure message. */
export function tails() {
  return [...procs].map((p) => p.tail()).join('\n');
}

/** Polls fn until it returns a truthy value; fails with what after timeout ms. */
export async function waitFor(what, fn, timeout = 15_000, interval = 100) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}\n${tails()}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Runs a playwright wait, adding what was awaited and the process logs to a timeout. */
export async function ui(what, promise) {
  try {
    return await promise;
  } catch (err) {
    throw new Error(`UI: ${what}: ${err.message.split('\n')[0]}\n${tails()}`);
  }
}

/** Runs a command to its end; resolves with its standard output. */
export function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Reads a JSON file. */
export const readJSON = (file) => JSON.parse(readFileSync(file, 'utf8'));

// ---------------------------------------------------------------------------
// The backend and the desktop

/**
 * Starts kurier-backend with its data in dir, every server on a free
 * loopback port, or on the addresses (host:port) in addrs ({ chat,
 * signaling, directory, blob, admin }); resolves with { proc, backendJSON }.
 */
export async function startBackend(dir, addrs = {}) {
  const at = (name) => addrs[name] ?? '127.0.0.1:0';
  const proc = new Proc('kurier-backend', bins.backend, [
    '--data', dir,
    '--chat', at('chat'),
    '--signaling', at('signaling'),
    '--directory', at('directory'),
    '--blob', at('blob'),
    '--admin', at('admin'),
  ]);
  const backendJSON = join(dir, 'backend.json');
  await waitFor('backend.json', () => {
    if (!proc.running) throw new Error('kurier-backend exited');
    return existsSync(backendJSON) && readJSON(backendJSON).chat;
  });
  return { proc, backendJSON };
}

/** The addresses in a backend.json, for startBackend to listen on them again. */
export function backendAddrs(backendJSON) {
  const b = readJSON(backendJSON);
  const host = (url) => new URL(url).host;
  return { chat: b.chat.address, signaling: host(b.signaling.url), directory: host(b.directory.url), blob: host(b.blob.url), admin: host(b.admin.url) };
}

/** Starts kurier --web with its profile in dir against the backend; resolves with { proc, url } once it prints its URL. */
export async function startKurier(dir, backendJSON) {
  const proc = new Proc('kurier --web', bins.kurier, ['--data', dir, '--backend', backendJSON, '--web', '127.0.0.1:0']);
  const url = await waitFor('kurier --web to print its URL', () => {
    if (!proc.running) throw new Error('kurier exited');
    return proc.out.match(/open (http:\/\/127\.0\.0\.1:\d+\/\S*)/)?.[1];
  });
  return { proc, url };
}

// ---------------------------------------------------------------------------
// Virtual phones and their control API

/** A virtual phone: `kurier-phone init` once, then `serve` with the control API. */
export class Phone {
  constructor(name, dir, bot) {
    this.name = name;
    this.dir = dir;
    this.bot = bot;
    /** Events from GET /v1/events, in order. */
    this.events = [];
    this.abort = new AbortController();
  }

  async init(backendJSON) {
    await run(bins.phone, ['--data', this.dir, 'init', '--backend', backendJSON, '--nickname', this.name]);
  }

  /** Starts `serve --control` and waits for its control API. */
  async serve() {
    // A SIGKILLed serve leaves its control.addr behind.
    rmSync(join(this.dir, 'control.addr'), { force: true });
    const args = ['--data', this.dir, 'serve', '--control', '127.0.0.1:0'];
    if (this.bot) args.push('--bot', this.bot);
    this.proc = new Proc(`phone ${this.name}`, bins.phone, args);
    const addr = await waitFor(`${this.name}'s control.addr`, () => {
      if (!this.proc.running) throw new Error('serve exited');
      const f = join(this.dir, 'control.addr');
      return existsSync(f) && readFileSync(f, 'utf8').trim();
    });
    this.base = `http://${addr}`;
    this.token = readFileSync(join(this.dir, 'control.token'), 'utf8').trim();
    this.identity = await this.call('GET', '/v1/identity');
    this.id = this.identity.id;
  }

  async call(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.name}: ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** Sends bytes as the body of method path (an image: PUT /v1/profile/avatar). */
  async upload(method, path, bytes, type = 'image/png') {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': type },
      body: bytes,
    });
    if (!res.ok) throw new Error(`${this.name}: ${method} ${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }

  send(to, text) {
    return this.call('POST', '/v1/messages', { to, text });
  }

  messages(conversation, limit = 200) {
    return this.call('GET', `/v1/conversations/${encodeURIComponent(conversation)}/messages?limit=${limit}`);
  }

  /** Collects the server-sent events of GET /v1/events until close(). */
  async listen() {
    const res = await fetch(`${this.base}/v1/events`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: this.abort.signal,
    });
    assert.equal(res.status, 200, `${this.name}: GET /v1/events`);
    const decoder = new TextDecoder();
    let buf = '';
    (async () => {
      try {
        for await (const chunk of res.body) {
          buf += decoder.decode(chunk, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('\n');
            if (data) this.events.push(JSON.parse(data));
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }

  /** Waits for an event matching pred. */
  event(what, pred, timeout = 15_000) {
    return waitFor(`${this.name}'s phone to see ${what}`, () => this.events.find(pred), timeout);
  }

  close() {
    this.abort.abort();
  }
}

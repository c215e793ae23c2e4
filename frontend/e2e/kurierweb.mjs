// Starts `kurier --web` on a free loopback port (the e2e suites that need no
// backend of their own: the demo world) and resolves with the process and
// the URL it prints.
import { spawn } from 'node:child_process';

/** Starts binary --data dir --web 127.0.0.1:0; resolves with { proc, url }. */
export function startKurierWeb(binary, dir) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['--data', dir, '--web', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`kurier --web printed no URL:\n${out}\n${err}`)), 20_000);
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] });
      }
    });
    proc.on('exit', (code) => reject(new Error(`kurier --web exited with ${code}:\n${err}`)));
  });
}

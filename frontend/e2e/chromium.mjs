// Debian's Chromium for the end-to-end tests, launched by playwright-core
// with a fresh profile (launch(), never --user-data-dir) and without any
// network of its own.
import { chromium } from 'playwright-core';

/** The browser binary (CHROMIUM overrides Debian's). */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The flags every test browser gets. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Voice messages: a fake microphone without a permission prompt, and
  // audio that plays without a user gesture.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches a fresh headless Chromium. */
export function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/// <reference types="vitest/config" />
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

// The Go binary embeds frontend/dist, so a fresh clone needs that folder to
// exist before the first UI build; git keeps it through dist/.gitkeep, which
// this plugin restores after Vite empties the folder.
function keepDistPlaceholder(): Plugin {
  return {
    name: 'kurier-keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '');
    },
  };
}

export default defineConfig({
  plugins: [svelte(), keepDistPlaceholder()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The emoji data (emojibase-data's English and German compact sets, about
    // 570 and 600 kB, 90 kB gzipped) is split off and loaded on first use only.
    chunkSizeWarningLimit: 650,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/testing/setup.ts'],
    // jsdom renders take seconds on a loaded two-core machine (CI runs the Go
    // tests beside these): 5 s, the default, timed out tests that pass alone in 1 s.
    testTimeout: 30_000,
  },
  ...(process.env['VITEST'] ? { resolve: { conditions: ['browser'] } } : {}),
});

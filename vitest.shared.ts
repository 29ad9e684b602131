// Shared vitest settings: every package tests its TypeScript sources directly
// (the "@ostree-ts/source" export condition), so no build is needed before `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['@ostree-ts/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@ostree-ts/source'],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

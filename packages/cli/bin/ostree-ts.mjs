#!/usr/bin/env node
// Launcher for the built CLI (run `npm run build` first; scripts/setup.sh does).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));

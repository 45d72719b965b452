#!/usr/bin/env node
'use strict';
// The swarmctl executable: runs the compiled CLI (built by `npm ci` and `npm run build` at the repository root).
try {
  require.resolve('../dist/bin.js');
} catch {
  process.stderr.write('swarmctl is not built: run `npm run build` (or `npm ci`) at the repository root\n');
  process.exit(1);
}
require('../dist/bin.js');

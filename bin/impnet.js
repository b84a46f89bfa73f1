#!/usr/bin/env node
// The CLI lives in TypeScript and runs from the build; this file only finds it.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);

if (!existsSync(entry)) {
  console.error("impnet: dist/ is missing; run `npm install` (it builds) and try again");
  process.exit(1);
}

const { main } = await import(entry.href);
process.exitCode = await main(process.argv);

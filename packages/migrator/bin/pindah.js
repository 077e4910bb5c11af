#!/usr/bin/env node
// Runs the TypeScript command line under tsx, from wherever `npx pindah` is called.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const tsx = createRequire(import.meta.url).resolve("tsx");
const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const r = spawnSync(process.execPath, ["--import", tsx, main, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);

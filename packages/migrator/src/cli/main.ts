import { createPool } from "@pindah/kernel/db/pool";
import { Command, Option } from "commander";
import { type AuditResult, verifyJournal } from "../audit.js";
import type { Action } from "../engine/index.js";
import { ApiError, configFromEnv, fetchAudit, migratorClient } from "./client.js";
import { migrateAll } from "./migrate-all.js";
import { auditLine, liveStatus, statusLines } from "./render.js";

// `pindah`: the migration's command line. It talks to the migrator's control API, as the
// control room does, with the operator token of this installation.
const program = new Command("pindah").description("Move the old in-app shop onto the commerce platform, live");
const category = () => new Option("-c, --category <name>", "payment | data | merchant").makeOptionMandatory();
const json = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const client = () => migratorClient(configFromEnv());

program
  .command("status")
  .description("progress per category and overall, measured")
  .option("--json", "the status as JSON")
  .option("-w, --watch", "keep showing it until Ctrl-C")
  .action(async (o: { json?: boolean; watch?: boolean }) => {
    const api = client();
    if (o.json) return json(await api.status());
    if (!o.watch)
      return void process.stdout.write(`${statusLines(await api.status(), process.stdout.isTTY).join("\n")}\n`);
    const show = liveStatus(process.stdout);
    for (;;) {
      show(await api.status());
      await new Promise((r) => setTimeout(r, 500));
    }
  });

const simple: [string, Action, string][] = [
  ["start", "start", "copy the category in one snapshot, then stream its changes"],
  ["verify", "verify", "diff both sides by key range and reconcile the money"],
  ["reverse", "reverse", "send the category's writes back to the old shop, nothing lost"],
  ["complete", "complete", "stop replication, drop the slots, export and purge the old shop's tables"],
  ["cancel", "cancel", "stop a category before its reads switch and undo its copy"],
];
for (const [name, action, description] of simple) {
  program
    .command(name)
    .description(description)
    .addOption(category())
    .option("--json", "the answer as JSON")
    .action(async (o: { category: string; json?: boolean }) => {
      const r = await client().act(o.category, action);
      if (o.json) return json(r);
      process.stdout.write(
        `${action} ${o.category}: done\n${statusLines(r.status, process.stdout.isTTY).join("\n")}\n`,
      );
    });
}

program
  .command("switch")
  .description("switch a category's reads, or its writes (in one hold with the categories it shares tables with)")
  .addArgument(new Command().createArgument("<what>", "reads | writes").choices(["reads", "writes"]))
  .addOption(category())
  .option("--json", "the answer as JSON")
  .action(async (what: "reads" | "writes", o: { category: string; json?: boolean }) => {
    const r = await client().act(o.category, what === "reads" ? "switch-reads" : "switch-writes");
    if (o.json) return json(r);
    process.stdout.write(
      `switch ${what} ${o.category}: done\n${statusLines(r.status, process.stdout.isTTY).join("\n")}\n`,
    );
  });

program
  .command("demo")
  .description("run the whole migration of the running platform unattended, showing its progress")
  .option("--json", "print the final status and step timings as JSON")
  .option("--rehearse-reverse <ms>", "after each first write switch, wait, reverse and switch again")
  .action(async (o: { json?: boolean; rehearseReverse?: string }) => {
    const show = liveStatus(process.stdout);
    const r = await migrateAll(client(), {
      rehearseReverseAfterMs: o.rehearseReverse === undefined ? undefined : Number(o.rehearseReverse),
      onStatus: o.json ? undefined : show,
      say: (line) => !o.json && !process.stdout.isTTY && process.stdout.write(`> ${line}\n`),
    });
    if (o.json) return json(r);
    process.stdout.write(`done in ${Object.values(r.timings).reduce((a, b) => a + b, 0)} ms of actions\n`);
  });

/** Exit status of `audit verify` when the chain is broken (1 stays "could not ask"). */
const BROKEN = 2;

program
  .command("audit")
  .description("the migration's audit log (the journal, hash-chained)")
  .command("verify")
  .description("recompute the journal's hash chain; exits 2 when it is broken")
  .option("--json", "the result as JSON")
  .option("--database-url <url>", "read the control database directly instead of asking the migrator")
  .action(async (o: { json?: boolean; databaseUrl?: string }) => {
    const r = o.databaseUrl ? await verifyDirect(o.databaseUrl) : await fetchAudit(configFromEnv());
    if (o.json) json(r);
    else process.stdout.write(`${auditLine(r)}\n`);
    if (!r.ok) process.exitCode = BROKEN;
  });

/** Without the migrator in between: an auditor need not trust the process whose journal it checks. */
async function verifyDirect(url: string): Promise<AuditResult> {
  const db = createPool(url, 1);
  try {
    return await verifyJournal(db);
  } finally {
    await db.end();
  }
}

program.parseAsync().catch((err: Error) => {
  const status = err instanceof ApiError ? ` (${err.status})` : "";
  process.stderr.write(`pindah: ${err.message}${status}\n`);
  process.exit(1);
});

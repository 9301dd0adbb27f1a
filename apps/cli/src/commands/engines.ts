import type { Command } from "commander";
import { loadConfig } from "@retouch/core";
import { createConfiguredEngines, createEngineRegistry } from "@retouch/engines";

/** `retouch engines`: what each engine can do. */
export function registerEngines(program: Command) {
  program
    .command("engines")
    .description("List the enabled engines (RETOUCH_ENGINES) and their capabilities")
    .option("--json", "print JSON")
    .action((flags: { json?: boolean }) => {
      const engines = createEngineRegistry(createConfiguredEngines(loadConfig(process.env))).list();
      if (flags.json) {
        process.stdout.write(JSON.stringify(engines, null, 2) + "\n");
        return;
      }
      for (const e of engines) {
        process.stdout.write(
          [
            `${e.id} — ${e.label}`,
            `  ${e.description}`,
            `  operations: ${e.operations.join(", ")}`,
            `  prompt: ${e.usesPrompt ? "used" : "not used"}; results per edit: up to ${e.maxResults}; works at up to ${e.maxSide} px / ${(e.maxPixels / 1e6).toFixed(1)} MP`,
            "",
          ].join("\n"),
        );
      }
    });
}

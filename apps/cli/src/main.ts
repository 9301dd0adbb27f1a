import { Command, CommanderError } from "commander";
import { version } from "@retouch/server";
import { registerAws } from "./commands/aws";
import { registerBedrockEmulator } from "./commands/bedrock-emulator";
import { registerEdit } from "./commands/edit";
import { registerEngines } from "./commands/engines";
import { registerServe } from "./commands/serve";
import { registerUsers } from "./commands/users";
import { describeError } from "./fail";

const program = new Command("retouch")
  .description("Retouch — paint over what should change, say what should be there, get edited images back")
  .version(version)
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({
    outputError: (line, write) => write(`retouch: ${line.replace(/^error: /, "").trim()}\n`),
  });

registerServe(program);
registerEdit(program);
registerUsers(program);
registerEngines(program);
registerBedrockEmulator(program);
registerAws(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; usage errors were already printed as one line.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const { message, exitCode } = describeError(error);
  process.stderr.write(`retouch: ${message}\n`);
  process.exit(exitCode);
}

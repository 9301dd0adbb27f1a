export { startBedrockEmulator, type BedrockEmulator, type BedrockEmulatorOptions } from "./server";
export type { EmulatorFaults } from "./faults";
export {
  STABILITY_LIMITS,
  INPAINT_MODEL_ID,
  ERASE_MODEL_ID,
  InpaintBodySchema,
  EraseBodySchema,
} from "./stability-models";

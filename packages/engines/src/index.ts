export { createEngineRegistry, type EngineRegistry } from "./registry";
export { createLocalFillEngine } from "./local-fill/local-fill-engine";
export { createDefaultLocalEngines } from "./default-engines";

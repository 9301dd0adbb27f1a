export type { IntakeLimits } from "./intake-limits";
export { normalizeUpload, type NormalizedImage } from "./normalize-upload";
export { decodeMask } from "./decode-mask";
export { maskCoverage } from "./mask-coverage";
export { decodeRaster, encodePng, encodeMaskPng } from "./raster-codec";
export { runEnginePipeline, type PipelineInput } from "./run-engine-pipeline";
export { assertEngineAccepts } from "./engine-acceptance";
export { resizeRaster, resizeMask } from "./resize";
export { padForOutpaint, type OutpaintCanvas } from "./pad-for-outpaint";

export { preprocess } from "./preprocess.js";
export type { Preprocessed, PreprocessOptions, PreprocessWarning } from "./preprocess.js";
export { PreprocessError } from "./preprocess-error.js";
export { LineMap } from "./line-map.js";
export type { SourceLine } from "./line-map.js";

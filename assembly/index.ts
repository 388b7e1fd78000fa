// The module's exports, and nothing else: the kernels of src/backends/wasm/module.ts' CoreExports. Pointers are byte addresses
// into the memory TypeScript creates and lays out, counts are elements, and a pointer of 0 means "no buffer".

/** The first byte past the module's static data (Math's lookup tables, assert messages): buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}

export {
  forward, backpropDelta, weightGradient, weightGradientRows, sgdDense, sgdDenseRows, setPackArea, setThread, packAreaBytes,
  packThreshold,
} from './matmul';
export { activate, activationBackward } from './activations';
export { outputDelta, loss, countCorrect } from './losses';
export { sgd, momentum, adam, scale } from './optimizers';
export { gatherRows } from './data';
export { applyMask } from './dropout';
export { randomState, drawUniform, drawNormal, drawMask } from './random';

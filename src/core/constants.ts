// Numbers the whole library shares. The ids cross the Wasm boundary: assembly/constants.ts declares the same
// numbers, and test/constants.test.ts checks that both sides agree.

export const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const LOSSES = ['quadratic', 'mse', 'binaryCrossEntropy', 'categoricalCrossEntropy'] as const;
export type LossName = (typeof LOSSES)[number];

/** The id a kernel receives for an activation or loss name: its index in the lists above. */
export const activationId = (name: ActivationName): number => ACTIVATIONS.indexOf(name);
export const lossId = (name: LossName): number => LOSSES.indexOf(name);

/** Cross-entropy clamps a into [LOG_EPSILON, 1 − LOG_EPSILON] before taking logs (as Keras does). */
export const LOG_EPSILON = 1e-7;

/** The largest finite float32: weights and inputs beyond it cannot be stored in the Wasm backend's float32 memory. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// Ids that cross the Wasm boundary: each is the index of its name in ACTIVATIONS or LOSSES of src/core/constants.ts.
// test/constants.test.ts reads this file and checks that both sides agree.

// Activations
export const LINEAR: i32 = 0;
export const SIGMOID: i32 = 1;
export const TANH: i32 = 2;
export const RELU: i32 = 3;
export const LEAKY_RELU: i32 = 4;
export const SOFTMAX: i32 = 5;

// Losses
export const QUADRATIC: i32 = 0;
export const MSE: i32 = 1;
export const BINARY_CROSS_ENTROPY: i32 = 2;
export const CATEGORICAL_CROSS_ENTROPY: i32 = 3;

/** Cross-entropy clamps a into [LOG_EPSILON, 1 − LOG_EPSILON] (in f64) before taking logs. */
export const LOG_EPSILON: f64 = 1e-7;

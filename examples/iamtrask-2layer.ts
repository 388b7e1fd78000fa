// iamtrask, "A Neural Network in 11 lines of Python", part 1, the 2-layer network: one sigmoid unit without bias
// learns that the output copies the first input column.
//
//   np.random.seed(1); syn0 = 2*np.random.random((3,1)) - 1
//   for iter in range(10000): l1 = nonlin(np.dot(l0, syn0)); syn0 += np.dot(l0.T, (y - l1) * l1*(1-l1))
//   print(l1)
import { Network } from 'simdnet';
import { type ExampleOptions, ndarray, rowsOf } from './print.js';

export const X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
export const y = [0, 0, 1, 1];

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 3,
    layers: [{ units: 1, activation: 'sigmoid', useBias: false }],
    // syn0 += l0.T · l1_delta is a step of 1 down the gradient of ½Σ(y − l1)², summed over the 4 rows;
    // simdnet averages a batch's gradient, so the same step is learning rate 4 on batches of 4.
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 4 },
    initializer: 'uniform', // 2*np.random.random(shape) - 1, drawn in numpy's order
    seed: 1, // np.random.seed(1)
    backend,
  });
  const data = { inputs: X, targets: y };
  const fullBatch = { batchSize: 4, shuffle: false };

  // The tutorial prints l1 after its loop: the forward pass of iteration 10,000, computed before that
  // iteration's update. So: 9,999 updates, look, then the last update (which the printout never sees).
  net.trainSync(data, { epochs: 9_999, ...fullBatch });
  const l1 = Array.from(net.predictBatch(X));
  net.trainSync(data, { epochs: 1, ...fullBatch });
  net.dispose();

  print('Output After Training:');
  print(ndarray(rowsOf(l1, 1)));
  return { output: l1 };
}

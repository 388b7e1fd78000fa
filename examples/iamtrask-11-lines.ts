// iamtrask, "A Neural Network in 11 lines of Python", the program the post opens with: the whole 3-layer network
// in eleven lines, unseeded, printing nothing. This program adds the seed it lacks (any will do) and prints its
// predictions.
//
//   syn0 = 2*np.random.random((3,4)) - 1; syn1 = 2*np.random.random((4,1)) - 1
//   for j in xrange(60000):
//       l1 = 1/(1+np.exp(-(np.dot(X,syn0)))); l2 = 1/(1+np.exp(-(np.dot(l1,syn1))))
//       l2_delta = (y - l2)*(l2*(1-l2)); l1_delta = l2_delta.dot(syn1.T) * (l1 * (1-l1))
//       syn1 += l1.T.dot(l2_delta); syn0 += X.T.dot(l1_delta)
import { Network } from 'simdnet';
import { type ExampleOptions, ndarray, rowsOf } from './print.js';

export const X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
export const y = [0, 1, 1, 0];

export async function run({ backend = 'js', seed = 11, print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 3,
    layers: [{ units: 4, activation: 'sigmoid', useBias: false }, { units: 1, activation: 'sigmoid', useBias: false }],
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 4 }, // the full-batch sum with step 1
    initializer: 'uniform',
    seed,
    backend,
  });
  const data = { inputs: X, targets: y };
  // 59,999 updates, then l2 as the last iteration computes it (before its own update).
  net.trainSync(data, { epochs: 59_999, batchSize: 4, shuffle: false });
  const l2 = Array.from(net.predictBatch(X));
  net.trainSync(data, { epochs: 1, batchSize: 4, shuffle: false });
  net.dispose();

  print(`seed ${seed}: l2 after 60,000 iterations`);
  print(ndarray(rowsOf(l2, 1)));
  return { predictions: l2 };
}

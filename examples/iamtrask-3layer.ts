// iamtrask, "A Neural Network in 11 lines of Python", part 2, the 3-layer network: a hidden layer of 4 sigmoid
// units learns exclusive-or of the first two inputs.
//
//   np.random.seed(1); syn0 = 2*np.random.random((3,4)) - 1; syn1 = 2*np.random.random((4,1)) - 1
//   for j in xrange(60000):
//       l1 = nonlin(np.dot(l0, syn0)); l2 = nonlin(np.dot(l1, syn1)); l2_error = y - l2
//       if (j % 10000) == 0: print "Error:" + str(np.mean(np.abs(l2_error)))
//       ... backpropagate; syn1 += l1.T.dot(l2_delta); syn0 += l0.T.dot(l1_delta)
import { Network } from 'simdnet';
import { type ExampleOptions, str } from './print.js';

export const X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
export const y = [0, 1, 1, 0];

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 3,
    layers: [
      { units: 4, activation: 'sigmoid', useBias: false }, // syn0, (3,4)
      { units: 1, activation: 'sigmoid', useBias: false }, // syn1, (4,1)
    ],
    // A full-batch sum with step 1 = learning rate 4 on the batch of 4 (simdnet averages over a batch).
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 4 },
    initializer: 'uniform', // 2*np.random.random(shape) - 1: syn0 first, then syn1
    seed: 1, // np.random.seed(1)
    backend,
  });

  const errors: number[] = [];
  const reportError = () => { // np.mean(np.abs(y - l2)), from this iteration's forward pass
    const l2 = net.predictBatch(X);
    const error = y.reduce((sum, target, i) => sum + Math.abs(target - l2[i]), 0) / y.length;
    errors.push(error);
    print('Error:' + str(error));
  };

  reportError(); // j = 0, before any update
  net.trainSync({ inputs: X, targets: y }, {
    epochs: 60_000, batchSize: 4, shuffle: false,
    callbacks: {
      // After update number epoch + 1 the network is as iteration j = epoch + 1 sees it.
      onEpochEnd(epoch) {
        const j = epoch + 1;
        if (j % 10_000 === 0 && j < 60_000) reportError();
      },
    },
  });
  net.dispose();
  return { errors };
}

// The "Litter Rip!" survey network of David Code's beginner's tutorial: iamtrask's 3-layer network, commented for
// beginners, on a pet shop's survey. Columns: has a cat that poops? drinks imported beer? visited LitterRip.com?
// Target: bought Litter Rip! The rows are the 3-layer program's rows in another order, so the errors are the same.
import { Network } from 'simdnet';
import { type ExampleOptions, ndarray, rowsOf, str } from './print.js';

export const X = [[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]];
export const y = [1, 1, 0, 0];

/** New customers from the veterinarian, who answered the first three questions (made up: the text gives none). */
export const prospects = [[1, 0, 1], [0, 1, 1], [1, 1, 1], [1, 0, 0], [0, 0, 0]];

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 3,
    layers: [
      { units: 4, activation: 'sigmoid', useBias: false }, // syn0: 12 weights connecting l0 to l1
      { units: 1, activation: 'sigmoid', useBias: false }, // syn1: 4 weights connecting l1 to l2
    ],
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 4 }, // syn += l.T.dot(delta): the 4 customers' sum, step 1
    initializer: 'uniform', // 2*np.random.random(shape) - 1
    seed: 1, // np.random.seed(1)
    backend,
  });
  const data = { inputs: X, targets: y };
  const errors: number[] = [];
  const reportError = () => {
    const l2 = net.predictBatch(X);
    const error = y.reduce((sum, target, i) => sum + Math.abs(target - l2[i]), 0) / y.length;
    errors.push(error);
    print('Avg l2_error after 10,000 more iterations: ' + str(error));
  };

  reportError(); // j = 0
  net.trainSync(data, {
    epochs: 59_999, batchSize: 4, shuffle: false,
    callbacks: { onEpochEnd: (epoch) => { if ((epoch + 1) % 10_000 === 0) reportError(); } },
  });
  const l2 = Array.from(net.predictBatch(X)); // the last iteration's forward pass, which the program prints
  net.trainSync(data, { epochs: 1, batchSize: 4, shuffle: false }); // and that iteration's update
  print('Our y-l2 error value after all 60,000 iterations of training: ');
  print(ndarray(rowsOf(l2, 1)));

  const scores = Array.from(net.predictBatch(prospects));
  print('Chance that each hot prospect buys Litter Rip!:');
  prospects.forEach((answers, i) => print(`  ${JSON.stringify(answers)}  ${str(scores[i])}`));
  net.dispose();
  return { errors, predictions: l2, prospects: scores };
}

// Nested Software's "Neural Networks Primer", multiple neurons per layer: the Network([2,3,2], b=b, w=w) demo, one
// propagate_backward([0, 1], 0.1) on the input [0.8, 0.2]. The tutorial prints nothing; this program prints what
// the step computes: each layer's gradients, the updated parameters, and the cost ½Σ(a − y)² before and after.
import { Network } from 'simdnet';
import { type ExampleOptions, ndarray, rowsOf, str } from './print.js';

// The tutorial's biases and weights. Its w[l] is [units][inputs] (np.dot(w, a)); simdnet's is [inputs][units].
export const b = [[0.54001045, 0.75958375, 0.01870296], [-0.32783478, 0.06061246]];
export const w = [
  [[-0.11499179, 0.454649], [-0.65801895, 0.56618695], [-0.15686814, -0.87499479]],
  [[0.01071228, -0.49139708, -0.81775586], [-0.87455946, -0.08351883, -0.77534763]],
];

const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));
/** simdnet's flat [inputs][units] layout back to the tutorial's [units][inputs] rows. */
const asTutorial = (flat: ArrayLike<number>, units: number) => transpose(rowsOf(flat, units));

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 2,
    layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }],
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: 0.1 }, // propagate_backward(y, 0.1)
    seed: 0,
    backend,
  });
  net.setWeights(w.map((wl, l) => ({ weights: transpose(wl).flat(), biases: b[l] })));
  const sample = { inputs: [[0.8, 0.2]], targets: [[0, 1]] };

  const before = net.trace(sample);
  print('cost before: ' + str(before.loss));
  const gradients = before.layers.map((layer, i) => ({
    biases: Array.from(layer.dCdb), weights: asTutorial(layer.dCdw, b[i].length),
  }));
  for (let i = gradients.length - 1; i >= 0; i--) { // output layer first, as propagate_backward goes
    print(`layer ${i + 1}: biases_gradient`);
    print(ndarray(gradients[i].biases.map((v) => [v])));
    print(`layer ${i + 1}: weights_gradient`);
    print(ndarray(gradients[i].weights));
  }

  net.trainSync(sample, { epochs: 1 });
  const updated = net.getWeights().map((layer, i) => ({
    biases: Array.from(layer.biases), weights: asTutorial(layer.weights, b[i].length),
  }));
  for (let i = updated.length - 1; i >= 0; i--) {
    print(`layer ${i + 1}: updated b`);
    print(ndarray(updated[i].biases.map((v) => [v])));
    print(`layer ${i + 1}: updated w`);
    print(ndarray(updated[i].weights));
  }

  const after = net.trace(sample);
  print('cost after: ' + str(after.loss));
  net.dispose();
  return { costBefore: before.loss, costAfter: after.loss, gradients, updated };
}

// Nested Software's "Neural Networks Primer", its example calculation: one learning step of a 1-1-1 sigmoid
// network, worked by hand in a Python session. input 0.8, target 1, w¹ = 1.58, b¹ = −0.14, w² = 2.45, b² = −0.11,
// step 0.1, cost ½(a − y)². Network.trace() lays out every chain-rule quantity the session computes.
import { Network } from 'simdnet';
import { type ExampleOptions, repr } from './print.js';

export async function run({ backend = 'js', print = () => {} }: ExampleOptions = {}) {
  const net = await Network.create({
    inputSize: 1,
    layers: [{ units: 1, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
    loss: 'quadratic', // cost(a, y) = 0.5 * (a - y)**2
    optimizer: { type: 'sgd', learningRate: 0.1 }, // step_size = 0.1
    seed: 0,
    backend,
  });
  net.setWeights([{ weights: [1.58], biases: [-0.14] }, { weights: [2.45], biases: [-0.11] }]);
  const sample = { inputs: [[0.8]], targets: [[1]] }; // a_l0 = 0.8, y = 1

  const values: Record<string, number> = {};
  const show = (name: string, value: number) => {
    values[name] = value;
    print(`>>> ${name}`);
    print(repr(value));
  };

  const before = net.trace(sample); // forward and backward, changing nothing
  const [l1, l2] = before.layers;
  show('z_l1', l1.z[0]);
  show('a_l1', l1.a[0]);
  show('z_l2', l2.z[0]);
  show('a_l2', l2.a[0]);
  show('dc_db_l2', l2.dCdb[0]); // sigmoid_prime(z_l2) * (a_l2 - 1)
  show('dc_dw_l2', l2.dCdw[0]); // a_l1 * dc_db_l2
  show('dc_da_l1', l1.dCda[0]); // w_l2 * dc_db_l2

  net.trainSync(sample, { epochs: 1 }); // the update: parameter -= gradient * step_size
  const [p1, p2] = net.getWeights();
  show('updated_b_l2', p2.biases[0]);
  show('updated_w_l2', p2.weights[0]);
  show('dc_db_l1', l1.dCdb[0]);
  show('dc_dw_l1', l1.dCdw[0]);
  show('updated_b_l1', p1.biases[0]);
  show('updated_w_l1', p1.weights[0]);

  const after = net.trace(sample);
  show('updated_z_l1', after.layers[0].z[0]);
  show('updated_a_l1', after.layers[0].a[0]);
  show('updated_z_l2', after.layers[1].z[0]);
  show('updated_a_l2', after.layers[1].a[0]);
  show('original_cost', before.loss);
  show('updated_cost', after.loss);
  net.dispose();
  return values;
}

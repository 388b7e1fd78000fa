// Andrew Trask, Grokking Deep Learning, chapter 4 (gradient descent, divergence, alpha): gradient descent on one
// weight, weight -= alpha * input * (pred - goal_pred). On simdnet that is a 1→1 linear network without bias,
// quadratic loss ½(pred − goal)² (its gradient is input·(pred − goal)), SGD with learning rate alpha on one sample.
// The book prints error = (pred − goal_pred)², without the ½.
//
//   for iteration in range(20):
//       pred = input * weight; error = (pred - goal_pred) ** 2
//       weight = weight - alpha * (input * (pred - goal_pred))
//       print("Error:" + str(error) + " Prediction:" + str(pred))
import { Network } from 'simdnet';
import { type ExampleOptions, excerpt, str } from './print.js';

export async function descend(input: number, alpha: number, backend: ExampleOptions['backend'] = 'js') {
  const goalPred = 0.8;
  const net = await Network.create({
    inputSize: 1,
    layers: [{ units: 1, activation: 'linear', useBias: false }],
    loss: 'quadratic',
    optimizer: { type: 'sgd', learningRate: alpha },
    seed: 0,
    backend,
  });
  net.setWeights([{ weights: [0.5] }]); // weight = 0.5

  const errors: number[] = [];
  const predictions: number[] = [];
  const lines: string[] = [];
  for (let iteration = 0; iteration < 20; iteration++) {
    const pred = net.predict([input])[0];
    const error = (pred - goalPred) ** 2;
    net.trainSync({ inputs: [[input]], targets: [[goalPred]] }, { epochs: 1 }); // weight -= alpha * weight_delta
    errors.push(error);
    predictions.push(pred);
    lines.push('Error:' + str(error) + ' Prediction:' + str(pred));
  }
  const weight = net.getWeights()[0].weights[0];
  net.dispose();
  return { errors, predictions, lines, weight };
}

export async function run({ backend = 'js', print = () => {}, full = false }: ExampleOptions = {}) {
  const runs = {
    learns: await descend(0.5, 1, backend), // input = 0.5
    diverges: await descend(2, 1, backend), // input = 2: every update overcorrects
    alpha: await descend(2, 0.1, backend), // input = 2, alpha = 0.1
  };
  print('input = 0.5:');
  excerpt(runs.learns.lines, 3, 3, full).forEach(print);
  print('');
  print('input = 2:');
  excerpt(runs.diverges.lines, 3, 3, full).forEach(print);
  print('');
  print('input = 2, alpha = 0.1:');
  excerpt(runs.alpha.lines, 3, 3, full).forEach(print);
  return runs;
}

// Andrew Trask, Grokking Deep Learning, chapter 4 (hot and cold learning): hot-and-cold learning of one weight.
// Each iteration predicts with weight + step and weight − step and keeps the better one. That is a search, not
// gradient descent, so it is written with predict() and setWeights() on a one-weight linear network.
//
//   weight, input, goal_prediction, step_amount = 0.5, 0.5, 0.8, 0.001
//   for iteration in range(1101):
//       prediction = input * weight; error = (prediction - goal_prediction) ** 2
//       print("Error:" + str(error) + " Prediction:" + str(prediction))
//       ...try weight ± step_amount, keep the one with the smaller error
import { Network } from 'simdnet';
import { type ExampleOptions, excerpt, str } from './print.js';

export async function hotAndCold(stepAmount: number, iterations: number, backend: ExampleOptions['backend'] = 'js') {
  const input = 0.5;
  const goalPrediction = 0.8;
  let weight = 0.5;
  const net = await Network.create({
    inputSize: 1, layers: [{ units: 1, activation: 'linear', useBias: false }], seed: 0, backend,
  });
  const predictWith = (w: number) => { // prediction = input * w
    net.setWeights([{ weights: [w] }]);
    return net.predict([input])[0];
  };

  const errors: number[] = [];
  const predictions: number[] = [];
  const lines: string[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const prediction = predictWith(weight);
    const error = (prediction - goalPrediction) ** 2;
    errors.push(error);
    predictions.push(prediction);
    lines.push('Error:' + str(error) + ' Prediction:' + str(prediction));

    const upError = (goalPrediction - predictWith(weight + stepAmount)) ** 2; // try up!
    const downError = (goalPrediction - predictWith(weight - stepAmount)) ** 2; // try down!
    if (downError < upError) weight = weight - stepAmount; // if down is better, go down
    if (downError > upError) weight = weight + stepAmount; // if up is better, go up
  }
  net.dispose();
  return { errors, predictions, lines };
}

export async function run({ backend = 'js', print = () => {}, full = false }: ExampleOptions = {}) {
  const small = await hotAndCold(0.001, 1101, backend);
  excerpt(small.lines, 2, 2, full).forEach(print);
  print('');
  print('step_amount = 10:');
  const large = await hotAndCold(10, 6, backend); // "It never gets close to 0.8!"
  excerpt(large.lines, 5, 0, full).forEach(print);
  return { small, large };
}

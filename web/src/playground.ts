// The Playground page (playground.html): data sets, features, hidden layers and training settings kept in the URL;
// a network trained by `trainFor` in a requestAnimationFrame loop; every neuron drawn from one `activations` call
// per frame. The parts live in playground/: model.ts (state, data, network, training frame), diagram.ts,
// output-map.ts and readouts.ts (drawing), controls.ts (the controls), app.ts (the page put together), hooks.ts.

import { Playground } from './playground/app.js';
import { playgroundHooks, type PlaygroundHooks } from './playground/hooks.js';

declare global {
  interface Window {
    playground: PlaygroundHooks;
  }
}

window.playground = playgroundHooks(new Playground());

// The learn page (learn.html): the tutorials' lessons as figures computed by simdnet in the page, one section each
// (learn/*.ts). window.learn exposes each figure for the browser tests and the curious in the console.

import { BiasSurface } from './learn/bias.js';
import { Backprop } from './learn/backprop.js';
import { Hill } from './learn/hill.js';
import { HotCold } from './learn/hot-cold.js';
import { OneWeight } from './learn/one-weight.js';
import { SigmoidNeuron } from './learn/sigmoid.js';
import { MINIS, MiniPlayground } from './learn/two-d.js';

const figures = {
  oneWeight: new OneWeight(),
  hotCold: new HotCold(),
  bias: new BiasSurface(),
  sigmoid: new SigmoidNeuron(),
  hill: new Hill(),
  backprop: new Backprop(),
  minis: MINIS.map((spec) => new MiniPlayground(spec)),
};

export type LearnHooks = typeof figures & { ready: boolean };

declare global {
  interface Window {
    learn: LearnHooks;
  }
}

window.learn = Object.assign(figures, { ready: false });

// One after another: each starts a network and some run a tutorial's program first.
for (const figure of [figures.oneWeight, figures.hotCold, figures.bias, figures.sigmoid, figures.hill, figures.backprop,
  ...figures.minis]) {
  await figure.init();
}
window.learn.ready = true;

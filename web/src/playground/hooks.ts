// What the page exposes as window.playground, for its browser tests and for the curious in the console: the run's
// live figures and a few calls, read through to the model.

import type { Network } from '../../../src/index.js';
import type { State } from '../state.js';
import type { Playground } from './app.js';
import type { FrameSummary } from './frame-stats.js';
import type { HistoryPoint } from './model.js';

export interface PlaygroundHooks {
  readonly app: Playground;
  readonly ready: boolean;
  readonly epoch: number;
  readonly history: HistoryPoint[];
  readonly state: State;
  readonly net: Network | undefined;
  /** Network outputs at points (x₁, x₂): rows of outputSize numbers. */
  predict(points: [number, number][]): number[][];
  /** The network's inputs at points (x₁, x₂): the active features, row-major. */
  featureRowsFor(points: [number, number][]): Float64Array;
  frameStats(): FrameSummary;
  resetFrameStats(): void;
}

export function playgroundHooks(app: Playground): PlaygroundHooks {
  const model = app.model;
  return {
    app,
    get ready() { return model.ready; },
    get epoch() { return model.epoch; },
    get history() { return model.history; },
    get state() { return model.state; },
    get net() { return model.net; },
    predict: (points) => model.predict(points),
    featureRowsFor: (points) => model.featureRowsFor(points),
    frameStats: () => app.frameStats.summary(),
    resetFrameStats: () => app.frameStats.reset(),
  };
}

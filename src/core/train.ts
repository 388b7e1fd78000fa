// The training loop: epochs, shuffled minibatches, callbacks, validation and every way a run can stop. It is written
// once, as a generator that pauses between batches: trainSync runs it straight through, train() lets the event loop
// in every few milliseconds, and trainFor steps it for a time budget, going on from where the last call stopped.

import { type Matrix, type TrainingData, toDataset } from './data.js';
import type { Engine, StepResult } from './engine.js';
import { SimdnetError, describe } from './errors.js';
import type { NumpyRandom } from './random.js';

export interface EpochLogs {
  /** Counted from 0, as Keras and Nielsen's network.py count. */
  epoch: number;
  /** Mean per-sample loss over the epoch's batches, each measured before its update (regularisation excluded). */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  elapsedMs: number;
  /** Present when the run stopped part-way through this epoch (timeout, abort, callback): the figures cover the
   * batches that ran. */
  partial?: true;
}

export interface BatchLogs {
  batch: number;
  size: number;
  /** Mean per-sample loss of this batch, before its update. */
  loss: number;
}

export type StopReason = 'epochs' | 'errorThreshold' | 'timeout' | 'aborted' | 'callback';

export interface TrainHistory {
  epochs: EpochLogs[];
  stopReason: StopReason;
}

type Verdict = void | boolean | Promise<void | boolean>;

export interface TrainOptions {
  epochs?: number;
  /** Samples per gradient step; defaults to the whole set (full-batch). */
  batchSize?: number;
  shuffle?: boolean;
  /** `{ inputs, targets }` or samples `[{ input, output }, …]`, read like the training data. */
  validationData?: TrainingData;
  /** Stop once an epoch's training loss is below this. */
  errorThreshold?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** train() only: how long to run before letting the event loop in. */
  yieldEveryMs?: number;
  callbacks?: {
    /** Return false to stop training. */
    onEpochEnd?(epoch: number, logs: EpochLogs): Verdict;
    /** Return false to stop training. */
    onBatchEnd?(batch: number, logs: BatchLogs): Verdict;
  };
}

export interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validation?: { inputs: Matrix; targets: Matrix };
  errorThreshold: number;
  timeoutMs: number;
  signal?: AbortSignal;
  yieldEveryMs: number;
  onEpochEnd?: (epoch: number, logs: EpochLogs) => Verdict;
  onBatchEnd?: (batch: number, logs: BatchLogs) => Verdict;
}

const KNOWN_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationData', 'errorThreshold', 'timeoutMs', 'signal',
  'yieldEveryMs', 'callbacks'];

function optionError(field: string, problem: string): SimdnetError {
  return new SimdnetError('INVALID_OPTIONS', `options.${field}: ${problem}`);
}

export function positiveInteger(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw optionError(field, `expected a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function nonNegative(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw optionError(field, `expected a number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

export function resolveTrainOptions(options: unknown, samples: number, engine: Engine,
  probabilityTargets: boolean): ResolvedTrainOptions {
  const o = (options ?? {}) as TrainOptions;
  if (typeof o !== 'object') throw optionError('', `expected an object, got ${describe(options)}`);
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.includes(key)) throw optionError(key, `unknown option (known: ${KNOWN_OPTIONS.join(', ')})`);
  }
  if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') {
    throw optionError('shuffle', `expected true or false, got ${describe(o.shuffle)}`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw optionError('signal', `expected an AbortSignal, got ${describe(o.signal)}`);
  }
  const callbacks = o.callbacks ?? {};
  for (const name of ['onEpochEnd', 'onBatchEnd'] as const) {
    if (callbacks[name] !== undefined && typeof callbacks[name] !== 'function') {
      throw optionError(`callbacks.${name}`, `expected a function, got ${describe(callbacks[name])}`);
    }
  }
  return {
    epochs: positiveInteger(o.epochs, 'epochs', 1),
    batchSize: Math.min(positiveInteger(o.batchSize, 'batchSize', samples), samples),
    shuffle: o.shuffle ?? true,
    validation: o.validationData === undefined ? undefined
      : toDataset(o.validationData, engine.inputSize, engine.outputSize, probabilityTargets, 'options.validationData'),
    errorThreshold: nonNegative(o.errorThreshold, 'errorThreshold', 0),
    timeoutMs: nonNegative(o.timeoutMs, 'timeoutMs', Infinity),
    signal: o.signal,
    yieldEveryMs: nonNegative(o.yieldEveryMs, 'yieldEveryMs', 16),
    onEpochEnd: callbacks.onEpochEnd,
    onBatchEnd: callbacks.onBatchEnd,
  };
}

/** What the loop asks of its driver: nothing (a pause between batches), or to settle a callback's promise. */
export type Pause = undefined | { settle: Promise<void | boolean> };

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** The order of an epoch's samples: 0 … n−1, shuffled by the network's seeded generator unless asked not to. */
function newEpochOrder(order: Int32Array, shuffle: boolean, rng: NumpyRandom): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (shuffle) rng.shuffle(order);
}

/**
 * Where training stands in a data set: the epoch under way (counted from 0), the next row of its order, and the
 * order. A run of train() starts a fresh one; trainFor keeps one across calls, so that they walk whole epochs.
 */
export interface Cursor {
  order: Int32Array;
  epoch: number;
  next: number;
}

export function newCursor(samples: number): Cursor {
  return { order: new Int32Array(samples), epoch: 0, next: 0 };
}

/** Stops a run whose step failed; the engine kept the last finite weights, and the optimiser state is reset. */
function diverged(engine: Engine, step: StepResult & { ok: false }, epoch: number, batch: number): SimdnetError {
  engine.resetOptimizer();
  const what = step.reason === 'loss' ? `the loss became ${step.loss}` : 'an update made a weight non-finite';
  return new SimdnetError('DIVERGED', `training diverged at epoch ${epoch}, batch ${batch}: ${what}. ` +
    'The weights are those after the last finite step; try a smaller learning rate.');
}

/**
 * Trains on a staged data set from where `cursor` stands until it reaches epoch `options.epochs` or stops. Yields
 * between batches; the driver answers a `settle` request with the settled value. Throws SimdnetError('DIVERGED')
 * when a loss or an update stops being finite, with the weights of the last finite step still in place. The
 * cursor moves with every batch, before the pause, so a driver may drop the generator at any pause and go on later
 * with a new one from the same cursor.
 */
export function* trainingLoop(engine: Engine, samples: number, options: ResolvedTrainOptions, rng: NumpyRandom,
  evaluate: (inputs: Matrix, targets: Matrix) => Evaluation,
  cursor: Cursor = newCursor(samples)): Generator<Pause, TrainHistory, unknown> {
  const epochs: EpochLogs[] = [];
  const started = performance.now();
  let batchNumber = 0;
  if (options.signal?.aborted) return { epochs, stopReason: 'aborted' };
  const verdict = function* (value: Verdict): Generator<Pause, boolean, unknown> {
    const settled = value instanceof Promise ? yield { settle: value } : value;
    return settled !== false;
  };

  while (cursor.epoch < options.epochs) {
    const epoch = cursor.epoch;
    const epochStart = performance.now();
    if (cursor.next === 0) newEpochOrder(cursor.order, options.shuffle, rng);
    engine.setOrder(cursor.order);

    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let stop: StopReason | undefined;
    let start = cursor.next;
    while (start < samples) {
      const rows = Math.min(options.batchSize, samples - start);
      const step = engine.trainStep(start, rows);
      if (!step.ok) throw diverged(engine, step, epoch, Math.ceil(start / options.batchSize));
      start += rows;
      if (start < samples) {
        cursor.next = start;
      } else {
        cursor.next = 0;
        cursor.epoch++;
      }
      lossSum += step.loss;
      correct += step.correct;
      seen += rows;
      const batch = batchNumber++;
      if (options.onBatchEnd &&
        !(yield* verdict(options.onBatchEnd(batch, { batch, size: rows, loss: step.loss / rows })))) stop = 'callback';
      else if (options.signal?.aborted) stop = 'aborted';
      else if (performance.now() - started > options.timeoutMs) stop = 'timeout';
      if (stop) break;
      yield undefined;
    }

    const logs: EpochLogs = { epoch, loss: lossSum / seen, accuracy: correct / seen, elapsedMs: 0 };
    if (seen < samples) {
      logs.partial = true;
    } else if (options.validation) {
      const { loss, accuracy } = evaluate(options.validation.inputs, options.validation.targets);
      logs.valLoss = loss;
      logs.valAccuracy = accuracy;
    }
    logs.elapsedMs = performance.now() - epochStart;
    epochs.push(logs);
    if (stop) return { epochs, stopReason: stop };
    if (options.onEpochEnd) {
      if (!(yield* verdict(options.onEpochEnd(epoch, logs)))) return { epochs, stopReason: 'callback' };
      yield undefined; // lets the driver see what the callback did (dispose, say) before the next epoch
    }
    if (logs.loss < options.errorThreshold) return { epochs, stopReason: 'errorThreshold' };
  }
  return { epochs, stopReason: 'epochs' };
}

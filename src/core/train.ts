// The training loop: epochs, shuffled minibatches, callbacks, validation and every way a run can stop. It is written
// once, as a generator that pauses between batches: trainSync runs it straight through, train() lets the event loop
// in every few milliseconds, and trainFor steps it for a time budget, going on from where the last call stopped.
// Around the batches it sets each epoch's learning rate (a schedule), validates, and stops early when the monitored
// figure stops improving, putting back the best epoch's weights.

import { type FloatArray, type Matrix, type TrainingData, toDataset } from './data.js';
import type { Engine, StepResult } from './engine.js';
import { SimdnetError, describe } from './errors.js';
import type { NumpyRandom } from './random.js';
import { splitValidation } from './validation-split.js';

export interface EpochLogs {
  /** Counted from 0, as Keras and Nielsen's network.py count. */
  epoch: number;
  /** Mean per-sample loss over the epoch's batches, each measured before its update (regularisation excluded). */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The optimiser's learning rate during this epoch (the schedule's value, when there is one). */
  learningRate: number;
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

export type StopReason = 'epochs' | 'errorThreshold' | 'timeout' | 'aborted' | 'callback' | 'earlyStopping';

export interface TrainHistory {
  epochs: EpochLogs[];
  stopReason: StopReason;
  /** With earlyStopping: the epoch whose monitored figure was best (its weights are the network's when restored). */
  bestEpoch?: number;
}

/** The figure of EpochLogs that early stopping watches. */
export type Monitor = 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';

export interface EarlyStoppingOptions {
  /** Default 'valLoss' when the run validates (validationData or validationSplit), else 'loss'. */
  monitor?: Monitor;
  /** Epochs without improvement before stopping; default 0 (stop at the first epoch that does not improve). */
  patience?: number;
  /** How much better than the best so far a figure must be to count as an improvement; default 0. */
  minDelta?: number;
  /** Whether the run ends with the best epoch's weights, exactly, rather than the last ones; default true. */
  restoreBestWeights?: boolean;
}

/** The learning rate per epoch (counted from 0): rate·factor^⌊epoch/every⌋, or rate·decay^epoch. */
export type LearningRateSchedule =
  | { type: 'step'; every: number; factor: number }
  | { type: 'exponential'; rate: number };

type Verdict = void | boolean | Promise<void | boolean>;

export interface TrainOptions {
  epochs?: number;
  /** Samples per gradient step; defaults to the whole set (full-batch). */
  batchSize?: number;
  shuffle?: boolean;
  /** `{ inputs, targets }` or samples `[{ input, output }, …]`, read like the training data. */
  validationData?: TrainingData;
  /**
   * A fraction in (0, 1) of the rows held out for validation instead of validationData: drawn from the network's
   * seeded generator, stratified by class when the targets are one-hot rows or one 0/1 output.
   */
  validationSplit?: number;
  earlyStopping?: EarlyStoppingOptions;
  learningRateSchedule?: LearningRateSchedule;
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
  /** The fraction of rows to hold out (holdOut does it). */
  validationSplit?: number;
  earlyStopping?: Required<EarlyStoppingOptions>;
  /** The learning rate of an epoch, when a schedule sets it. */
  learningRate?: (epoch: number) => number;
  errorThreshold: number;
  timeoutMs: number;
  signal?: AbortSignal;
  yieldEveryMs: number;
  onEpochEnd?: (epoch: number, logs: EpochLogs) => Verdict;
  onBatchEnd?: (batch: number, logs: BatchLogs) => Verdict;
}

const KNOWN_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationData', 'validationSplit', 'earlyStopping',
  'learningRateSchedule', 'errorThreshold', 'timeoutMs', 'signal', 'yieldEveryMs', 'callbacks'];
const MONITORS: readonly Monitor[] = ['loss', 'accuracy', 'valLoss', 'valAccuracy'];

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

/** `value` as an object with only `known` keys (an INVALID_OPTIONS error naming `field` otherwise). */
function optionObject(value: unknown, field: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(field, `expected an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw optionError(`${field}.${key}`, `unknown option (known: ${known.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

/** A number in (0, max] (or (0, max) when `open`), naming `field` when it is not. */
function fraction(value: unknown, field: string, max: number, open: boolean): number {
  if (typeof value !== 'number' || !(value > 0) || (open ? value >= max : value > max)) {
    throw optionError(field, `expected a number in (0, ${max}${open ? ')' : ']'}, got ${describe(value)}`);
  }
  return value;
}

function resolveEarlyStopping(value: unknown, validates: boolean): Required<EarlyStoppingOptions> {
  const o = optionObject(value, 'earlyStopping', ['monitor', 'patience', 'minDelta', 'restoreBestWeights']);
  const monitor = (o.monitor ?? (validates ? 'valLoss' : 'loss')) as Monitor;
  if (!MONITORS.includes(monitor)) {
    throw optionError('earlyStopping.monitor', `expected one of ${MONITORS.join(', ')}, got ${describe(o.monitor)}`);
  }
  if (monitor.startsWith('val') && !validates) {
    throw optionError('earlyStopping.monitor', `${describe(monitor)} needs validationData or validationSplit`);
  }
  if (o.patience !== undefined && (typeof o.patience !== 'number' || !Number.isInteger(o.patience) || o.patience < 0)) {
    throw optionError('earlyStopping.patience', `expected an integer ≥ 0, got ${describe(o.patience)}`);
  }
  const minDelta = nonNegative(o.minDelta, 'earlyStopping.minDelta', 0);
  if (!Number.isFinite(minDelta)) throw optionError('earlyStopping.minDelta', 'must be finite, got Infinity');
  if (o.restoreBestWeights !== undefined && typeof o.restoreBestWeights !== 'boolean') {
    throw optionError('earlyStopping.restoreBestWeights', `expected true or false, got ${describe(o.restoreBestWeights)}`);
  }
  return { monitor, patience: (o.patience as number | undefined) ?? 0, minDelta,
    restoreBestWeights: (o.restoreBestWeights as boolean | undefined) ?? true };
}

function resolveSchedule(value: unknown, base: number): (epoch: number) => number {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'step') {
    const o = optionObject(value, 'learningRateSchedule', ['type', 'every', 'factor']);
    if (o.every === undefined) throw optionError('learningRateSchedule.every', 'is required');
    const every = positiveInteger(o.every, 'learningRateSchedule.every', 1);
    const factor = fraction(o.factor, 'learningRateSchedule.factor', 1, false);
    return (epoch) => base * factor ** Math.floor(epoch / every);
  }
  if (type === 'exponential') {
    const o = optionObject(value, 'learningRateSchedule', ['type', 'rate']);
    const rate = fraction(o.rate, 'learningRateSchedule.rate', 1, false);
    return (epoch) => base * rate ** epoch;
  }
  optionObject(value, 'learningRateSchedule', ['type', 'every', 'factor', 'rate']);
  throw optionError('learningRateSchedule.type', `expected "step" or "exponential", got ${describe(type)}`);
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
  if (o.validationSplit !== undefined) {
    if (o.validationData !== undefined) {
      throw optionError('validationSplit', 'give validationSplit or validationData, not both');
    }
    fraction(o.validationSplit, 'validationSplit', 1, true);
  }
  const validates = o.validationData !== undefined || o.validationSplit !== undefined;
  return {
    epochs: positiveInteger(o.epochs, 'epochs', 1),
    batchSize: Math.min(positiveInteger(o.batchSize, 'batchSize', samples), samples),
    shuffle: o.shuffle ?? true,
    validation: o.validationData === undefined ? undefined
      : toDataset(o.validationData, engine.inputSize, engine.outputSize, probabilityTargets, 'options.validationData'),
    validationSplit: o.validationSplit,
    earlyStopping: o.earlyStopping === undefined ? undefined : resolveEarlyStopping(o.earlyStopping, validates),
    learningRate: o.learningRateSchedule === undefined ? undefined
      : resolveSchedule(o.learningRateSchedule, engine.spec.optimizer.learningRate),
    errorThreshold: nonNegative(o.errorThreshold, 'errorThreshold', 0),
    timeoutMs: nonNegative(o.timeoutMs, 'timeoutMs', Infinity),
    signal: o.signal,
    yieldEveryMs: nonNegative(o.yieldEveryMs, 'yieldEveryMs', 16),
    onEpochEnd: callbacks.onEpochEnd,
    onBatchEnd: callbacks.onBatchEnd,
  };
}

/**
 * The rows a run trains on: all of them, or with validationSplit the rows not held out (which become
 * `options.validation`, and the batch size is capped at the rows left). Draws from `rng`: call it once per run,
 * after the options are checked.
 */
export function holdOut(options: ResolvedTrainOptions, inputs: Matrix, targets: Matrix, rng: NumpyRandom):
  { inputs: Matrix; targets: Matrix } {
  if (options.validationSplit === undefined) return { inputs, targets };
  const { train, validation } = splitValidation(inputs, targets, options.validationSplit, rng);
  options.validation = validation;
  options.batchSize = Math.min(options.batchSize, train.inputs.rows);
  return train;
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
  const watch = options.earlyStopping;
  let best: { value: number; epoch: number; weights?: FloatArray } | undefined;
  let patience = 0;
  /** Ends the run; with early stopping, puts back the best epoch's weights if later steps changed them. */
  const finish = (stopReason: StopReason): TrainHistory => {
    if (!watch) return { epochs, stopReason };
    const last = epochs[epochs.length - 1];
    if (best?.weights && (last.epoch !== best.epoch || last.partial)) engine.restore(best.weights);
    return best ? { epochs, stopReason, bestEpoch: best.epoch } : { epochs, stopReason };
  };
  const verdict = function* (value: Verdict): Generator<Pause, boolean, unknown> {
    const settled = value instanceof Promise ? yield { settle: value } : value;
    return settled !== false;
  };

  while (cursor.epoch < options.epochs) {
    const epoch = cursor.epoch;
    const epochStart = performance.now();
    if (cursor.next === 0) newEpochOrder(cursor.order, options.shuffle, rng);
    engine.setOrder(cursor.order);
    engine.learningRate = options.learningRate?.(epoch) ?? engine.spec.optimizer.learningRate;

    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let stop: StopReason | undefined;
    let start = cursor.next;
    while (start < samples) {
      const rows = Math.min(options.batchSize, samples - start);
      const step = engine.trainStep(start, rows, rng);
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

    const logs: EpochLogs = {
      epoch, loss: lossSum / seen, accuracy: correct / seen, learningRate: engine.learningRate, elapsedMs: 0,
    };
    if (seen < samples) {
      logs.partial = true;
    } else if (options.validation) {
      const { loss, accuracy } = evaluate(options.validation.inputs, options.validation.targets);
      logs.valLoss = loss;
      logs.valAccuracy = accuracy;
    }
    logs.elapsedMs = performance.now() - epochStart;
    epochs.push(logs);
    if (stop) return finish(stop);
    let improved = false;
    if (watch) {
      const value = logs[watch.monitor] as number;
      const accuracy = watch.monitor === 'accuracy' || watch.monitor === 'valAccuracy';
      improved = best === undefined ? !Number.isNaN(value)
        : accuracy ? value > best.value + watch.minDelta : value < best.value - watch.minDelta;
      if (improved) {
        // Once per improved epoch, one copy of the parameter block: what finish() puts back.
        best = { value, epoch, weights: watch.restoreBestWeights ? engine.snapshot() : undefined };
        patience = 0;
      } else {
        patience++;
      }
    }
    if (options.onEpochEnd) {
      if (!(yield* verdict(options.onEpochEnd(epoch, logs)))) return finish('callback');
      yield undefined; // lets the driver see what the callback did (dispose, say) before the next epoch
    }
    if (logs.loss < options.errorThreshold) return finish('errorThreshold');
    // Keras' count: the run stops at the patience-th epoch in a row without improvement (patience 0 acts as 1).
    if (watch && !improved && patience >= Math.max(watch.patience, 1) && cursor.epoch < options.epochs) {
      return finish('earlyStopping');
    }
  }
  return finish('epochs');
}

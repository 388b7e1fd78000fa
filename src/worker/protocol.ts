// The messages between `trainInWorker` (src/worker/index.ts) and the worker it starts (src/worker/runner.ts).
//
//   runner → main: ready · progress* · epoch* · (done | error)
//   main → runner: train (after ready) · cancel (any time; the run stops after its current batch and reports done)

import type { TrainingData } from '../core/data.js';
import type { NetworkJSON } from '../io/model-file.js';
import type { NetworkSpec } from '../core/spec.js';
import type { EpochLogs, TrainHistory, TrainOptions } from '../core/train.js';

/** `train`'s options that can cross to a worker (functions and AbortSignals cannot). */
export type WorkerTrainOptions = Omit<TrainOptions, 'callbacks' | 'signal'>;

export interface WorkerProgress {
  /** The epoch under way, counted from 0. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch, and how many it has. */
  batch: number;
  batches: number;
  /** Share of the whole run done, 0–1. */
  fraction: number;
  /** Mean per-sample loss of the latest batch. */
  loss: number;
  elapsedMs: number;
}

export type MainMessage =
  | {
    type: 'train';
    network: NetworkSpec | NetworkJSON;
    isModel: boolean;
    data: TrainingData;
    options: WorkerTrainOptions;
    progressEveryMs: number;
  }
  | { type: 'cancel' };

export type RunnerMessage =
  | { type: 'ready' }
  | { type: 'progress'; progress: WorkerProgress }
  | { type: 'epoch'; epoch: number; logs: EpochLogs }
  | { type: 'done'; model: NetworkJSON; history: TrainHistory }
  | { type: 'error'; code?: string; message: string };

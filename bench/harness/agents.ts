// The suite's side of the contender processes: each contender runs in a process of its own (forked from the agent
// script with the V8 flags it needs), so that one library's JIT state, heap or worker threads cannot slow another.
// A process is started on first use and kept for every workload.

import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Answer, Command } from './protocol.js';

/** One contender's process; `request` sends a command and resolves with its answer. */
export class Agent {
  private readonly child: ChildProcess;
  private waiting: ((answer: Answer) => void) | undefined;
  /** The process announces itself with a first `ready`. */
  private readonly started: Promise<Answer>;

  constructor(script: string, readonly name: string, flags: readonly string[]) {
    this.child = fork(script, [name], {
      // stdout carries nothing but library banners; answers come over IPC. No memory reducer: it runs up to three full
      // GCs of a process's heap in the seconds after the process goes idle, that is inside the next contenders' units
      // (after brain.js' W1 epoch: 0.3–0.6 s of its CPU during the epoch of simdnet, which follows it in every round).
      execArgv: [...flags, '--max-old-space-size=8192', '--no-memory-reducer'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.started = new Promise((resolve) => (this.waiting = resolve));
    this.child.on('message', (answer: Answer) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(answer);
    });
    this.child.on('exit', (code) => {
      this.waiting?.({ type: 'error', message: `process exited with code ${code}` });
      this.waiting = undefined;
    });
  }

  /** The process id, once the process has announced itself. */
  async pid(): Promise<number | undefined> {
    await this.started;
    return this.child.pid;
  }

  async request(command: Command): Promise<Answer> {
    await this.started;
    const answer = new Promise<Answer>((resolve) => (this.waiting = resolve));
    this.child.send(command);
    return answer;
  }

  exit(): void {
    this.child.send({ type: 'exit' });
  }
}

/** The contenders' processes by name, started on first use. */
export class AgentPool {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly script: string, private readonly flagsOf: (name: string) => readonly string[]) {}

  get(name: string): Agent {
    let found = this.agents.get(name);
    if (!found) {
      found = new Agent(this.script, name, this.flagsOf(name));
      this.agents.set(name, found);
    }
    return found;
  }

  /**
   * Moves the processes of `names` onto CPU `cpu`, or back onto every CPU when `cpu` is undefined, with Linux's
   * taskset: every thread of each (V8's own too), or with `mainOnly` the main thread alone (a thread started later
   * takes its starter's CPUs; workers started before keep theirs). False where that cannot be done (not Linux).
   */
  async pin(names: readonly string[], cpu?: number, mainOnly = false): Promise<boolean> {
    const cpus = cpu === undefined ? `0-${availableParallelism() - 1}` : String(cpu);
    let pinned = true;
    for (const name of names) {
      const pid = await this.get(name).pid();
      const { status, error } = spawnSync('taskset', [...(mainOnly ? [] : ['-a']), '-cp', cpus, String(pid)],
        { stdio: 'ignore' });
      pinned &&= !error && status === 0;
    }
    return pinned;
  }

  /** A new process for `name`, the old one (if any) told to exit. */
  fresh(name: string): Agent {
    this.agents.get(name)?.exit();
    this.agents.delete(name);
    return this.get(name);
  }

  exitAll(): void {
    for (const agent of this.agents.values()) agent.exit();
    this.agents.clear();
  }
}

/** The first line of a failed answer, for a table cell. */
export const failure = (answer: Answer): string =>
  `failed: ${answer.type === 'error' ? answer.message.split('\n')[0] : answer.type}`;

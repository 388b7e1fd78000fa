// Property: Network.create(spec), for any spec at all, builds a working network or throws SimdnetError
// INVALID_SPEC, nothing else (a spec far too large for memory included); and a network's resolved spec (`net.spec`)
// builds the same network again.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Network, type NetworkSpec } from '../src/index.js';
import { fuzzSpec } from './fuzz/arbitraries.js';
import { FUZZ_TIMEOUT, check, expectCoded } from './fuzz/harness.js';

describe('fuzz: Network.create', () => {
  it('builds a network or throws INVALID_SPEC, for any spec', async () => {
    await check('spec', fc.asyncProperty(fuzzSpec, async (spec) => {
      let net: Network;
      try {
        net = await Network.create(spec as NetworkSpec);
      } catch (error) {
        expectCoded(error, ['INVALID_SPEC']);
        return;
      }
      try {
        const resolved = net.spec;
        const layers = (spec as NetworkSpec).layers;
        if (resolved.inputSize !== (spec as NetworkSpec).inputSize || resolved.layers.length !== layers.length ||
          net.outputSize !== layers[layers.length - 1].units) {
          throw new Error(`sizes differ from the spec: ${JSON.stringify(resolved)}`);
        }
        const output = net.predict(new Float64Array(net.inputSize));
        if (output.length !== net.outputSize) throw new Error(`predict gave ${output.length} numbers`);
        if (!net.getWeights().every((l) => [...l.weights, ...l.biases].every(Number.isFinite))) {
          throw new Error('a freshly initialised weight is not finite');
        }
        // The resolved spec is a spec: it builds the same network (same seed, same weights).
        let again: Network;
        try {
          again = await Network.create(resolved);
        } catch (error) {
          throw new Error(`Network.create(net.spec) failed: ${(error as Error).message}`, { cause: error });
        }
        const same = JSON.stringify(again.getWeights().map((l) => [...l.weights, ...l.biases])) ===
          JSON.stringify(net.getWeights().map((l) => [...l.weights, ...l.biases]));
        again.dispose();
        if (!same) throw new Error('Network.create(net.spec) drew different weights');
      } finally {
        net.dispose();
      }
    }), 150);
  }, FUZZ_TIMEOUT);
});

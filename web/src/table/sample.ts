// The sample table, bundled into the page so it works without a file: the Palmer penguins (vega-datasets), the
// same CSV the README and the CLI tests use.
import penguins from '../../../examples/data/penguins.csv' with { type: 'text' };

export const SAMPLE = { name: 'penguins.csv', text: penguins, target: 'Species' };

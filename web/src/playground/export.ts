// Taking a run away: the trained network as a simdnet model file, or a link that carries its weights.

import { toast } from '../dom.js';
import { encodeState } from '../state.js';
import type { PlaygroundModel } from './model.js';

/** The address of a state: this page with the state in its fragment. */
export const linkTo = (model: PlaygroundModel): string =>
  `${location.origin}${location.pathname}#${encodeState(model.state)}`;

/** Downloads the network as a model file that Network.fromJSON reads, with what its inputs are. */
export function downloadModel(model: PlaygroundModel): void {
  const net = model.net;
  if (!net) return;
  const file = {
    ...net.toJSON(),
    // Not read by Network.fromJSON: what the inputs are, so that the model can be used elsewhere.
    playground: {
      features: model.activeFeatures().map((f) => ({ id: f.id, label: f.label })),
      epoch: model.epoch,
      link: linkTo(model),
    },
  };
  const blob = new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `simdnet-playground-${model.state.dataset}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Copies the page's address (which the caller has just given the weights) to the clipboard, if allowed. */
export function copyLink(): void {
  navigator.clipboard?.writeText(location.href).then(
    () => toast('Link with the trained weights copied.'),
    () => toast('The address bar now holds the trained weights.'),
  );
}

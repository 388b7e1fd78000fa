// The table page (table.html): a CSV file in, its columns read and reported, a network trained on them in the page
// with live curves, held-out results, and a form that predicts one row (table/app.ts). window.tablePage exposes the
// page for the browser tests and the curious in the console.

import { TablePage } from './table/app.js';

declare global {
  interface Window {
    tablePage: { ready: boolean; page: TablePage };
  }
}

window.tablePage = { ready: true, page: new TablePage() };

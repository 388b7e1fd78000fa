// What the tutorials print, shared by the tests that check simdnet reproduces it: test/classics.test.ts (the
// example programs) and test/browser-learn.test.ts (the learn page's figures).

/** Neural Networks Primer, the example calculation, in the order its Python session prints the values. */
export const NIELSEN_111: Record<string, string> = {
  z_l1: '1.124', a_l1: '0.7547299213576082', z_l2: '1.73908830732614', a_l2: '0.850571226530534',
  dc_db_l2: '-0.018992369482903983', dc_dw_l2: '-0.014334109526226761', dc_da_l1: '-0.04653130523311476',
  updated_b_l2: '-0.1081007630517096', updated_w_l2: '2.451433410952623',
  dc_db_l1: '-0.008613534018377424', dc_dw_l1: '-0.006890827214701939',
  updated_b_l1: '-0.13913864659816227', updated_w_l1: '1.5806890827214704',
  updated_z_l1: '1.125412619579014', updated_a_l1: '0.7549913210309638',
  updated_z_l2: '1.7427101863028525', updated_a_l2: '0.8510309824120517',
  original_cost: '0.011164479170294499', updated_cost: '0.011095884100559231',
};
/** Grokking Deep Learning, ch. 4, hot and cold learning: the first and last lines, and the run with step 10. */
export const HOT_COLD_FIRST = ['Error:0.3025 Prediction:0.25', 'Error:0.30195025 Prediction:0.2505'];
export const HOT_COLD_LAST = ['Error:2.50000000033e-07 Prediction:0.7995', 'Error:1.07995057925e-27 Prediction:0.8'];
export const HOT_COLD_STEP_10 = ['Error:0.3025 Prediction:0.25', 'Error:19.8025 Prediction:5.25',
  'Error:0.3025 Prediction:0.25', 'Error:19.8025 Prediction:5.25', 'Error:0.3025 Prediction:0.25'];
/**
 * Grokking Deep Learning, ch. 4, gradient descent with input 0.5 and with input 2: the first and last three lines.
 * The alpha = 0.1 run is printed only in an image in the book, so only its last line is checked.
 */
export const GD_LEARNS = {
  first: ['Error:0.3025 Prediction:0.25', 'Error:0.17015625 Prediction:0.3875',
    'Error:0.095712890625 Prediction:0.490625'],
  last: ['Error:1.7092608064e-05 Prediction:0.79586567925', 'Error:9.61459203602e-06 Prediction:0.796899259437',
    'Error:5.40820802026e-06 Prediction:0.797674444578'],
};
export const GD_DIVERGES = {
  first: ['Error:0.04 Prediction:1.0', 'Error:0.36 Prediction:0.2', 'Error:3.24 Prediction:2.6'],
  last: ['Error:6.67087267987e+14 Prediction:-25828031.8', 'Error:6.00378541188e+15 Prediction:77484098.6',
    'Error:5.40340687069e+16 Prediction:-232452292.6'],
};
export const GD_ALPHA_LAST_PREDICTION = 0.800012187195;

// `simdnet/table`: tables in (CSV text, records, columns), a seeded split, and a network that trains on rows and
// predicts from raw rows, its schema saved in the model file. The CSV parser (Papa Parse) is reached only from here.
export { readCsv, DEFAULT_MAX_LENGTH, type CsvOptions, type Separator } from './csv.js';
export {
  Table, fromColumns, fromRecords, DEFAULT_MISSING, type Cell, type CategoryCount, type CellRules, type ColumnKind,
  type ColumnSummary, type ReadOptions, type TableRecord,
} from './table.js';
export { split, type SplitOptions, type TableSplit } from './split.js';
export {
  fitSchema, MAX_INFERRED_CLASSES, type CategoryInput, type ClassesTarget, type ColumnReport, type ColumnRole,
  type InputEncoding, type NumberInput, type NumberTarget, type Prediction, type Scaling, type SchemaOptions,
  type SchemaReport, type TableSchema, type TargetEncoding, type Task,
} from './schema.js';
export {
  TabularModel, type ClassificationEvaluation, type RegressionEvaluation, type Rows, type TableEvaluation,
  type TableTrainOptions, type TabularModelOptions,
} from './model.js';

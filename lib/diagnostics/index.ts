/** Gradient diagnostics: measure, judge, explain. */
export { type DiagnoseOptions, diagnose } from './diagnose.js';
export { type LsuvOptions, type LsuvResult, lsuv } from './lsuv.js';
export { Monitor, type MonitorOptions, monitor } from './monitor.js';
export { Report } from './report.js';
export type {
  ActivationStats,
  GradientStats,
  LayerReport,
  MonitorRecord,
  ReportData,
  Verdict,
  VerdictStatus,
} from './types.js';
export type { VerdictThresholds } from './verdict.js';

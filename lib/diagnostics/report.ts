/**
 * A diagnostics report: the plain data of {@link ReportData} plus its three
 * renderings (aligned text for a terminal, JSON, one standalone HTML page).
 */
import { renderHtml } from './render-html.js';
import { type RenderTextOptions, renderText } from './render-text.js';
import type { LayerReport, MonitorRecord, ReportData, Verdict } from './types.js';

export class Report implements ReportData {
  version!: string;
  createdAt!: string;
  title!: string;
  batch!: number;
  loss!: number;
  lossName!: string;
  layers!: LayerReport[];
  verdict!: Verdict;
  gradientNormFactor!: number;
  history?: MonitorRecord[];

  constructor(data: ReportData) {
    Object.assign(this, data);
  }

  /** The report's data (JSON-safe except for NaN/±Inf, which JSON turns into null). */
  toJSON(): ReportData {
    const { version, createdAt, title, batch, loss, lossName, layers, verdict, gradientNormFactor, history } =
      this;
    const d: ReportData = {
      version,
      createdAt,
      title,
      batch,
      loss,
      lossName,
      layers,
      verdict,
      gradientNormFactor,
    };
    if (history) d.history = history;
    return d;
  }

  /** An aligned table with the verdict, for a terminal (ANSI colours with `color: true`). */
  toText(options?: RenderTextOptions): string {
    return renderText(this.toJSON(), options);
  }

  /** One standalone HTML page with inline SVG plots (no external resources). */
  toHTML(): string {
    return renderHtml(this.toJSON());
  }
}

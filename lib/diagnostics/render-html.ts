/**
 * The report as one standalone HTML page: inline CSS, inline SVG plots, and a
 * tiny inline script that checks the page once loaded. No external resources.
 *
 * The page shows the verdict, a table of the per-layer numbers, per-layer plots
 * (activation std, ‖∂L/∂W‖ on a log axis, saturated / dead %, activation
 * histograms, mean-field theory vs measured variance when available) and, for a
 * monitor's report, the training history (loss, ‖∂L/∂W‖, update ratio, saturation).
 *
 * Self-check: the first script installs `window.onerror` (and listeners for
 * unhandled rejections and failed resource loads); on `load` the last script
 * verifies every `svg.plot` (its `data-points` equals its drawn marks, marks lie
 * inside the plot, no NaN in geometry) and sets on `<body>`: `data-check="ok"`
 * or `"fail: …"`, `data-plots` (plots with data), `data-errors` (number of errors
 * caught, messages in `data-error-log`) and `data-title` (the rendered h1 text).
 */

import {
  fmtCount,
  fmtNum,
  fmtPct,
  historySummary,
  layerNonFinite,
  layerRef,
  measuredPreActVariance,
  statusText,
} from './format.js';
import { chart, esc, histogram, type Point, type Series, SVG_CSS } from './svg.js';
import type { LayerReport, MonitorRecord, ReportData } from './types.js';

/** Most history records drawn; longer histories are thinned evenly (first and last kept). */
const MAX_HISTORY_POINTS = 300;

const COLOR = {
  act: '#2f6fce',
  preAct: '#8a5cc7',
  grad: '#d2582a',
  sat: '#e09a1a',
  dead: '#6b7785',
  theory: '#8a5cc7',
  measured: '#1f9a8a',
  loss: '#2f6fce',
  hist: '#4a86d8',
  histBad: '#c6372f',
};

/** Distinct colors along depth: blue near the input to red near the output. */
function depthColor(i: number, n: number): string {
  const t = n <= 1 ? 0 : i / (n - 1);
  return `hsl(${Math.round(225 - 215 * t)}, 68%, ${Math.round(46 - 6 * Math.sin(Math.PI * t))}%)`;
}

/** Non-numbers (e.g. a NaN that became null in a JSON round trip) count as NaN. */
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

/** The report as a complete HTML document. */
export function renderHtml(r: ReportData): string {
  return page(
    String(r.title),
    reportBody(r),
    `gradscope ${esc(String(r.version))} · ${esc(String(r.createdAt))}`,
  );
}

/**
 * Several reports on one page (the doctor's experiment): a title, an HTML
 * introduction (trusted: built by the caller from escaped parts) and each report
 * in its own section.
 */
export function renderHtmlPage(
  title: string,
  introHtml: string,
  reports: readonly ReportData[],
  footer: string,
): string {
  const body = [
    `<header><p class="kicker">gradscope diagnostics</p><h1>${esc(title)}</h1></header>`,
    introHtml,
    ...reports.map((r, i) => `<section class="report" id="report-${i}">\n${reportBody(r)}\n</section>`),
  ].join('\n');
  return page(title, body, esc(footer));
}

function reportBody(r: ReportData): string {
  const sections = [
    headerHtml(r),
    verdictHtml(r),
    r.layers.length > 0 ? tableHtml(r) : '<p class="note">The report has no layers.</p>',
    r.layers.length > 0 ? layerPlotsHtml(r) : '',
    r.layers.length > 0 ? histogramsHtml(r) : '',
    r.history ? historyHtml(r.layers.length, r.history) : '',
  ];
  return sections.filter((s) => s !== '').join('\n');
}

function page(title: string, body: string, footerHtml: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<script>${ERROR_TRAP}</script>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · gradscope report</title>
<style>${PAGE_CSS}${SVG_CSS}</style>
</head>
<body>
<main>
${body}
<footer>${footerHtml}</footer>
</main>
<script>${SELF_CHECK}</script>
</body>
</html>
`;
}

function headerHtml(r: ReportData): string {
  const h = r.history ? historySummary(r.history) : null;
  const chips = [
    ['loss', `${fmtNum(num(r.loss))} (${String(r.lossName)})`],
    ['batch', fmtCount(num(r.batch))],
    ['layers', String(r.layers.length)],
    ['gradient factor per layer', `×${fmtNum(num(r.gradientNormFactor))}`],
  ];
  if (h)
    chips.push([
      'history',
      `${h.steps} steps, loss ${fmtNum(num(h.firstLoss))} → ${fmtNum(num(h.lastLoss))}`,
    ]);
  return `<header>
<p class="kicker">gradscope diagnostics report</p>
<h1>${esc(String(r.title))}</h1>
<ul class="chips">${chips.map(([k, v]) => `<li><span>${esc(k)}</span> ${esc(v)}</li>`).join('')}</ul>
</header>`;
}

function verdictHtml(r: ReportData): string {
  const v = r.verdict;
  const healthy = v.status === 'healthy';
  const list = (heading: string, items: readonly string[]) =>
    items.length === 0
      ? ''
      : `<div><h3>${heading}</h3><ul>${items.map((s) => `<li>${esc(String(s))}</li>`).join('')}</ul></div>`;
  const firstBad =
    v.firstBadLayer === null
      ? ''
      : `<span class="first-bad">first bad layer: <b>${esc(layerRef(r.layers, v.firstBadLayer))}</b></span>`;
  return `<section class="verdict ${healthy ? 'good' : 'bad'}" id="verdict">
<div class="status-row"><span class="status">${esc(statusText(v.status))}</span>${firstBad}</div>
<div class="lists">${list('Evidence', v.evidence)}${list('Advice', v.advice)}</div>
</section>`;
}

function tableHtml(r: ReportData): string {
  const layers = r.layers;
  const withTheory = layers.some((l) => l.theory !== undefined);
  const withNonFinite = layers.some((l) => layerNonFinite(l) > 0);
  const cols: {
    head: string;
    tip: string;
    cell: (l: LayerReport) => string;
    cls?: (l: LayerReport) => string;
  }[] = [
    { head: '#', tip: 'layer index (0 = input side)', cell: (l) => String(l.index) },
    { head: 'layer', tip: 'layer', cell: (l) => String(l.name), cls: () => 'name' },
    { head: 'mean a', tip: 'mean of the activation a = f(z)', cell: (l) => fmtNum(num(l.activation.mean)) },
    { head: 'std a', tip: 'std of the activation a = f(z)', cell: (l) => fmtNum(num(l.activation.std)) },
    {
      head: 'std z',
      tip: 'std of the pre-activation z = x·W + b',
      cell: (l) => fmtNum(num(l.preActivation.std)),
    },
    {
      head: 'sat %',
      tip: "activations in the function's saturated range",
      cell: (l) => fmtPct(num(l.activation.saturatedFraction)),
    },
    {
      head: 'dead %',
      tip: 'units that are 0 for every sample',
      cell: (l) => fmtPct(num(l.activation.deadUnitFraction)),
    },
  ];
  if (withNonFinite) {
    cols.push({
      head: 'NaN/Inf',
      tip: 'non-finite elements in activations and gradients',
      cell: (l) => fmtCount(layerNonFinite(l)),
      cls: (l) => (layerNonFinite(l) > 0 ? 'nf' : ''),
    });
  }
  cols.push(
    {
      head: '‖∂L/∂W‖',
      tip: 'L2 norm of the weight gradient',
      cell: (l) => fmtNum(num(l.gradients.weight.norm)),
    },
    {
      head: '‖∂L/∂b‖',
      tip: 'L2 norm of the bias gradient',
      cell: (l) => (l.gradients.bias ? fmtNum(num(l.gradients.bias.norm)) : '–'),
    },
    { head: '‖W‖', tip: 'L2 norm of the weights', cell: (l) => fmtNum(num(l.weights.norm)) },
    {
      head: 'fwd var',
      tip: 'Var(a) / Var(x) (Glorot forward)',
      cell: (l) => fmtNum(num(l.forwardVarianceRatio)),
    },
    {
      head: 'bwd var',
      tip: 'Var(∂L/∂x) / Var(∂L/∂a) (Glorot backward)',
      cell: (l) => fmtNum(num(l.backwardVarianceRatio)),
    },
  );
  if (withTheory) {
    cols.push(
      {
        head: 'q theory',
        tip: 'mean-field predicted Var(z)',
        cell: (l) => (l.theory ? fmtNum(num(l.theory.preActivationVariance)) : '–'),
      },
      { head: 'Var(z)', tip: 'measured Var(z) = std(z)²', cell: (l) => fmtNum(measuredPreActVariance(l)) },
      {
        head: 'χ theory',
        tip: 'predicted growth of the squared gradient norm through the layer',
        cell: (l) => (l.theory ? fmtNum(num(l.theory.gradientGrowth)) : '–'),
      },
    );
  }
  const bad = r.verdict.firstBadLayer;
  const head = cols
    .map((c) => `<th title="${esc(c.tip)}"${c.head === 'layer' ? ' class="name"' : ''}>${esc(c.head)}</th>`)
    .join('');
  const rows = layers
    .map((l) => {
      const cells = cols
        .map((c) => {
          const cls = c.cls ? c.cls(l) : '';
          return `<td${cls ? ` class="${cls}"` : ''}>${esc(c.cell(l))}</td>`;
        })
        .join('');
      return `<tr${l.index === bad ? ' class="bad"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<section>
<h2>Per layer</h2>
<div class="table-wrap"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
</section>`;
}

function figure(caption: string, note: string, svg: string, cls = ''): string {
  return `<figure${cls ? ` class="${cls}"` : ''}><figcaption>${esc(caption)}${note ? ` <small>${esc(note)}</small>` : ''}</figcaption>${svg}</figure>`;
}

function layerPlotsHtml(r: ReportData): string {
  const layers = r.layers;
  const n = layers.length;
  const bad = r.verdict.firstBadLayer;
  // plots place layers by position; the marker goes where the first bad layer sits
  const badAt = bad === null ? -1 : layers.findIndex((l) => l.index === bad);
  const mark = badAt < 0 ? undefined : { x: badAt, label: 'first bad' };
  const x = { kind: 'index' as const, count: n };
  const per = (f: (l: LayerReport) => number, what: string): Point[] =>
    layers.map((l, i) => {
      const y = num(f(l));
      return { x: i, y, tip: `layer ${l.index} ${l.name}: ${what} ${fmtNum(y)}` };
    });
  const pct = (f: (l: LayerReport) => number, what: string): Point[] =>
    layers.map((l, i) => {
      const y = num(f(l));
      return { x: i, y: y * 100, tip: `layer ${l.index} ${l.name}: ${what} ${fmtPct(y)}%` };
    });

  const figs = [
    figure(
      'Activation spread',
      'std of a = f(z) and of z, per layer',
      chart(
        {
          label: 'activation std per layer',
          xLabel: 'layer',
          yLabel: 'std',
          x,
          y: 'auto',
          yFromZero: true,
          mark,
        },
        [
          { name: 'std a', color: COLOR.act, kind: 'line', points: per((l) => l.activation.std, 'std a') },
          {
            name: 'std z',
            color: COLOR.preAct,
            kind: 'line',
            dashed: true,
            points: per((l) => l.preActivation.std, 'std z'),
          },
        ],
      ),
    ),
    figure(
      'Weight gradient norm ‖∂L/∂W‖',
      'log scale; 0 and NaN/Inf marked on the axis edge',
      chart(
        { label: 'weight gradient norm per layer', xLabel: 'layer', yLabel: '‖∂L/∂W‖', x, y: 'log', mark },
        [
          {
            name: '‖∂L/∂W‖',
            color: COLOR.grad,
            kind: 'line',
            points: per((l) => l.gradients.weight.norm, '‖∂L/∂W‖'),
          },
        ],
      ),
    ),
    figure(
      'Saturated and dead units',
      '% of activations saturated, % of units dead',
      chart(
        {
          label: 'saturated and dead percent per layer',
          xLabel: 'layer',
          yLabel: '%',
          x,
          y: 'linear',
          yFromZero: true,
          yAtLeast: 10,
          mark,
        },
        [
          {
            name: 'saturated %',
            color: COLOR.sat,
            kind: 'bar',
            points: pct((l) => l.activation.saturatedFraction, 'saturated'),
          },
          {
            name: 'dead %',
            color: COLOR.dead,
            kind: 'bar',
            points: pct((l) => l.activation.deadUnitFraction, 'dead'),
          },
        ],
      ),
    ),
  ];
  if (layers.some((l) => l.theory !== undefined)) {
    const predicted: Point[] = [];
    layers.forEach((l, i) => {
      if (!l.theory) return;
      const y = num(l.theory.preActivationVariance);
      predicted.push({ x: i, y, tip: `layer ${l.index} ${l.name}: predicted q ${fmtNum(y)}` });
    });
    figs.push(
      figure(
        'Mean-field theory vs measured',
        'predicted q = Var(z) vs measured std(z)², log scale',
        chart(
          {
            label: 'theory vs measured pre-activation variance',
            xLabel: 'layer',
            yLabel: 'Var(z)',
            x,
            y: 'log',
            mark,
          },
          [
            { name: 'predicted q', color: COLOR.theory, kind: 'line', dashed: true, points: predicted },
            {
              name: 'measured Var(z)',
              color: COLOR.measured,
              kind: 'dot',
              points: per(measuredPreActVariance, 'measured Var(z)'),
            },
          ],
        ),
      ),
    );
  }
  return `<section>
<h2>Through the layers</h2>
<div class="charts">
${figs.join('\n')}
</div>
</section>`;
}

function histogramsHtml(r: ReportData): string {
  const bad = r.verdict.firstBadLayer;
  const figs = r.layers.map((l) => {
    const isBad = l.index === bad;
    const h = l.activation.histogram;
    const svg = histogram(h?.edges ?? [], h?.counts ?? [], {
      label: `activation histogram of layer ${l.index}`,
      color: isBad ? COLOR.histBad : COLOR.hist,
    });
    const caption = `${l.index} · ${l.name}`;
    const note = `std ${fmtNum(num(l.activation.std))}`;
    return svg === null
      ? figure(caption, note, '<p class="empty">no finite values to plot</p>', isBad ? 'bad' : '')
      : figure(caption, note, svg, isBad ? 'bad' : '');
  });
  return `<section>
<h2>Activation histograms</h2>
<div class="hists">
${figs.join('\n')}
</div>
</section>`;
}

/** Evenly spaced records, first and last kept, at most `max`. */
function thin(history: readonly MonitorRecord[], max: number): MonitorRecord[] {
  if (history.length <= max) return [...history];
  const out: MonitorRecord[] = [];
  for (let i = 0; i < max; i++) out.push(history[Math.round((i * (history.length - 1)) / (max - 1))]);
  return out;
}

function historyHtml(layerCount: number, history: readonly MonitorRecord[]): string {
  if (history.length === 0)
    return '<section><h2>Training history</h2><p class="note">No steps recorded.</p></section>';
  const recs = thin(history, MAX_HISTORY_POINTS);
  const thinned =
    recs.length < history.length ? `every ~${Math.round(history.length / recs.length)}th record` : '';
  const n = Math.max(layerCount, ...recs.map((h) => h.layers.length));
  // Legend: all layers when few, otherwise about eight spread from input to output.
  const legendStep = n <= 10 ? 1 : Math.ceil(n / 8);
  const perLayer = (
    f: (rec: MonitorRecord['layers'][number]) => number,
    what: string,
    scale = 1,
  ): Series[] => {
    const out: Series[] = [];
    for (let i = 0; i < n; i++) {
      const points: Point[] = [];
      for (const h of recs) {
        const rec = h.layers[i];
        if (!rec) continue;
        const y = num(f(rec));
        points.push({
          x: h.step,
          y: y * scale,
          tip: `layer ${i}, step ${h.step}: ${what} ${fmtNum(y * scale)}`,
        });
      }
      if (points.length === 0) continue;
      out.push({
        name: `L${i}`,
        color: depthColor(i, n),
        kind: 'line',
        points,
        legend: i % legendStep === 0 || i === n - 1,
      });
    }
    return out;
  };
  const x = { kind: 'linear' as const };
  const note = (s: string) => (thinned ? `${s}; ${thinned}` : s);
  const figs = [
    figure(
      'Loss',
      note(`${history.length} steps`),
      chart({ label: 'loss over steps', xLabel: 'step', yLabel: 'loss', x, y: 'auto' }, [
        {
          name: 'loss',
          color: COLOR.loss,
          kind: 'line',
          legend: false,
          points: recs.map((h) => ({
            x: h.step,
            y: num(h.loss),
            tip: `step ${h.step}: loss ${fmtNum(num(h.loss))}`,
          })),
        },
      ]),
    ),
    figure(
      'Weight gradient norm ‖∂L/∂W‖ per layer',
      note('log scale'),
      chart(
        { label: 'weight gradient norm over steps', xLabel: 'step', yLabel: '‖∂L/∂W‖', x, y: 'log' },
        perLayer((l) => l.weightGradNorm, '‖∂L/∂W‖'),
      ),
    ),
    figure(
      'Update ratio ‖ΔW‖ / ‖W‖ per layer',
      note('log scale; shaded: the usual healthy range around 1e-3'),
      chart(
        {
          label: 'update ratio over steps',
          xLabel: 'step',
          yLabel: '‖ΔW‖ / ‖W‖',
          x,
          y: 'log',
          band: { lo: 1e-4, hi: 1e-2, label: 'healthy 1e-4 … 1e-2' },
        },
        perLayer((l) => l.updateRatio, 'update ratio'),
      ),
    ),
    figure(
      'Saturation per layer',
      note('% of activations saturated'),
      chart(
        {
          label: 'saturation over steps',
          xLabel: 'step',
          yLabel: 'saturated %',
          x,
          y: 'linear',
          yFromZero: true,
          yAtLeast: 10,
        },
        perLayer((l) => l.saturatedFraction, 'saturated %', 100),
      ),
    ),
  ];
  return `<section>
<h2>Training history</h2>
<div class="charts">
${figs.join('\n')}
</div>
</section>`;
}

const PAGE_CSS = `
:root { --bg: #ffffff; --ink: #1d232b; --muted: #5d6772; --card: #f7f8fa; --border: #e1e5ea;
  --grid: #e8ebef; --axis: #98a1aa; --good: #1e8e4f; --bad: #c6372f; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --ink: #e4e8ec; --muted: #a1aab3; --card: #1c2026; --border: #2d333a;
    --grid: #272c32; --axis: #5e6771; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 10px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 4px; }
.kicker { margin: 0; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .08em; }
.chips { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 8px; }
.chips li { background: var(--card); border: 1px solid var(--border); border-radius: 999px; padding: 3px 12px;
  font-variant-numeric: tabular-nums; }
.chips span { color: var(--muted); }
.verdict { margin: 20px 0; padding: 14px 18px; background: var(--card); border: 1px solid var(--border);
  border-left: 6px solid var(--bad); border-radius: 8px; }
.verdict.good { border-left-color: var(--good); }
.status-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 16px; margin-bottom: 8px; }
.status { font-size: 20px; font-weight: 800; letter-spacing: .06em; color: var(--bad); }
.verdict.good .status { color: var(--good); }
.first-bad { color: var(--muted); }
.first-bad b { color: var(--ink); font-weight: 600; }
.lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 8px 28px; }
.lists ul { margin: 0; padding-left: 20px; }
.lists li { margin: 2px 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--border); }
th { background: var(--card); font-weight: 600; cursor: help; position: sticky; top: 0; }
th.name, td.name { text-align: left; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: var(--card); }
tr.bad td { background: rgba(198, 55, 47, .09); }
tr.bad td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
td.nf { color: var(--bad); font-weight: 700; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; }
.hists { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; }
figure { margin: 0; padding: 10px 12px; background: var(--card); border: 1px solid var(--border); border-radius: 8px;
  min-width: 0; }
figure.bad { border-color: var(--bad); }
figcaption { font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
figcaption small { font-weight: 400; color: var(--muted); }
.hists figcaption { font-size: 12.5px; }
p.empty, p.note { color: var(--muted); font-style: italic; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

/** First script of the page: records errors (script errors, rejections, failed loads) before anything else runs. */
const ERROR_TRAP = `
window.__gsErrors = [];
window.onerror = function (message, source, line, column) {
  window.__gsErrors.push(String(message) + ' (line ' + line + ':' + column + ')');
};
window.addEventListener('unhandledrejection', function (e) {
  window.__gsErrors.push('unhandled rejection: ' + String(e.reason));
});
window.addEventListener('error', function (e) {
  var t = e.target;
  if (t && t !== window && t.tagName) window.__gsErrors.push('failed to load ' + t.tagName + ' ' + (t.src || t.href || ''));
}, true);
`;

/** Last script of the page: on load, checks the plots and records the result on <body>. */
const SELF_CHECK = `
window.addEventListener('load', function () {
  var body = document.body;
  var problems = [];
  var withData = 0;
  try {
    var geometry = ['x', 'y', 'cx', 'cy', 'r', 'width', 'height', 'd', 'x1', 'x2', 'y1', 'y2', 'transform', 'viewBox'];
    var plots = document.querySelectorAll('svg.plot');
    for (var i = 0; i < plots.length; i++) {
      var svg = plots[i];
      var name = svg.getAttribute('aria-label') || 'plot ' + i;
      var n = Number(svg.getAttribute('data-points'));
      var marks = svg.querySelectorAll('.pt');
      if (n > 0) withData++;
      else problems.push(name + ': no data points');
      if (marks.length !== n) problems.push(name + ': data-points=' + n + ' but ' + marks.length + ' marks drawn');
      var box = svg.getBoundingClientRect();
      if (!(box.width > 0 && box.height > 0)) problems.push(name + ': not rendered');
      var vb = svg.viewBox.baseVal;
      for (var j = 0; j < marks.length; j++) {
        var b = marks[j].getBBox();
        if (!(b.x >= vb.x - 6 && b.y >= vb.y - 6 && b.x + b.width <= vb.x + vb.width + 6 && b.y + b.height <= vb.y + vb.height + 6)) {
          problems.push(name + ': mark ' + j + ' outside the plot');
          break;
        }
      }
      var all = svg.querySelectorAll('*');
      for (var k = 0; k < all.length; k++) {
        for (var g = 0; g < geometry.length; g++) {
          var v = all[k].getAttribute(geometry[g]);
          if (v !== null && /NaN|Infinity|undefined/.test(v)) {
            problems.push(name + ': bad ' + geometry[g] + '="' + v + '"');
            k = all.length;
            break;
          }
        }
      }
    }
    if (document.querySelectorAll('[src], link[href]').length > 0) problems.push('page references external resources');
    var h1 = document.querySelector('h1');
    body.setAttribute('data-title', h1 ? h1.textContent : '');
  } catch (e) {
    problems.push('self-check threw: ' + String(e));
  }
  var errors = window.__gsErrors || [];
  body.setAttribute('data-plots', String(withData));
  body.setAttribute('data-errors', String(errors.length));
  body.setAttribute('data-error-log', errors.join(' | '));
  body.setAttribute('data-check', problems.length === 0 && errors.length === 0 ? 'ok' : 'fail: ' + problems.concat(errors).join('; '));
});
`;

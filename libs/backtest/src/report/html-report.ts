import type { BacktestJson } from '../engine/backtest-json';

export interface ReportMeta {
  readonly title?: string;
  /** Free-form lines shown under the title (strategy, parameters, data file, costs). */
  readonly details?: Readonly<Record<string, string>>;
}

const WIDTH = 960;
const HEIGHT = 260;
const PAD = 48;
const MAX_POINTS = 1500;
const MAX_TRADE_ROWS = 2000;

/** A self-contained HTML page (inline CSS and SVG, no script, no network). */
export function renderHtmlReport(result: BacktestJson, meta: ReportMeta = {}): string {
  const title = meta.title ?? 'Backtest report';
  const times = result.equity.map((p) => Date.parse(p.time));
  const equity = result.equity.map((p) => p.equity);
  const drawdown = drawdownSeries(equity, equity.length ? Math.max(equity[0], 0) : 0);
  const details = Object.entries(meta.details ?? {})
    .map(([k, v]) => `<div><b>${esc(k)}</b>: ${esc(v)}</div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.pos{color:#1a7f37}.neg{color:#c62828}svg{background:#fafafa;border:1px solid #eee}
.stats{columns:2}
</style></head><body>
<h1>${esc(title)}</h1>
${details}
<h2>Equity</h2>
${lineChart(times, equity, '#1565c0', false)}
<h2>Drawdown (%)</h2>
${lineChart(times, drawdown, '#c62828', true)}
<h2>Statistics</h2>
<div class="stats">${statsTable(result.stats as unknown as Record<string, unknown>)}</div>
${openPosition(result)}
<h2>Trades (${result.trades.length})</h2>
${tradesTable(result)}
</body></html>
`;
}

function drawdownSeries(equity: number[], initial: number): number[] {
  let peak = initial;
  return equity.map((e) => {
    if (e > peak) peak = e;
    return peak > 0 ? (e / peak - 1) * 100 : 0;
  });
}

function lineChart(times: number[], values: number[], color: string, fill: boolean): string {
  if (values.length === 0) return '<p>no data</p>';
  const step = Math.max(1, Math.ceil(values.length / MAX_POINTS));
  const idx: number[] = [];
  for (let i = 0; i < values.length; i += step) idx.push(i);
  if (idx[idx.length - 1] !== values.length - 1) idx.push(values.length - 1);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (fill) max = Math.max(max, 0);
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const t0 = times[0];
  const t1 = times[times.length - 1] === t0 ? t0 + 1 : times[times.length - 1];
  const x = (t: number) => PAD + ((t - t0) / (t1 - t0)) * (WIDTH - 2 * PAD);
  const y = (v: number) => PAD / 2 + ((max - v) / (max - min)) * (HEIGHT - PAD);
  const pts = idx.map((i) => `${x(times[i]).toFixed(1)},${y(values[i]).toFixed(1)}`).join(' ');
  const area = fill ? `<polygon points="${x(t0).toFixed(1)},${y(0).toFixed(1)} ${pts} ${x(t1).toFixed(1)},${y(0).toFixed(1)}" fill="${color}" fill-opacity="0.2"/>` : '';
  const ticks = [min, (min + max) / 2, max]
    .map((v) => `<text x="${PAD - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${fmt(v)}</text><line x1="${PAD}" x2="${WIDTH - PAD}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`)
    .join('');
  const dates = `<text x="${PAD}" y="${HEIGHT - 6}" font-size="11">${day(t0)}</text><text x="${WIDTH - PAD}" y="${HEIGHT - 6}" font-size="11" text-anchor="end">${day(times[times.length - 1])}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${ticks}${area}<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="1.5"/>${dates}</svg>`;
}

function statsTable(stats: Record<string, unknown>): string {
  const rows = Object.entries(stats)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${typeof v === 'number' ? fmt(v) : esc(v === null ? '-' : String(v))}</td></tr>`)
    .join('');
  return `<table>${rows}</table>`;
}

function openPosition(result: BacktestJson): string {
  const p = result.openPosition;
  if (!p) return '';
  return `<h2>Open position at the end (not in the trade statistics)</h2><table><tr><th>side</th><th>qty</th><th>entry time</th><th>entry price</th><th>unrealized PnL</th></tr>
<tr><td>${p.side}</td><td>${p.qty}</td><td>${esc(p.entryTime)}</td><td>${p.entryPrice}</td><td class="${cls(p.unrealizedPnl)}">${fmt(p.unrealizedPnl)}</td></tr></table>`;
}

function tradesTable(result: BacktestJson): string {
  if (result.trades.length === 0) return '<p>no closed trades</p>';
  const shown = result.trades.slice(0, MAX_TRADE_ROWS);
  const rows = shown
    .map(
      (t, i) =>
        `<tr><td>${i + 1}</td><td>${t.side}</td><td>${t.qty}</td><td>${esc(t.entryTime)}</td><td>${t.entryPrice}</td><td>${esc(t.exitTime)}</td><td>${t.exitPrice}</td><td>${esc(t.exitReason)}</td><td class="${cls(t.pnl)}">${fmt(t.pnl)}</td><td class="${cls(t.returnPct)}">${fmt(t.returnPct)}</td><td>${fmt(t.commission)}</td></tr>`,
    )
    .join('');
  const more = result.trades.length > shown.length ? `<p>${result.trades.length - shown.length} more trades in the JSON result.</p>` : '';
  return `<table><tr><th>#</th><th>side</th><th>qty</th><th>entry time</th><th>entry</th><th>exit time</th><th>exit</th><th>reason</th><th>PnL</th><th>return %</th><th>commission</th></tr>${rows}</table>${more}`;
}

const cls = (v: number): string => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(2) : Number(v.toPrecision(6)).toString();
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

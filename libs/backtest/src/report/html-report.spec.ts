import { runBacktest } from '../engine/backtest.engine';
import { toBacktestJson } from '../engine/backtest-json';
import { ScriptedStrategy, dailyCandles } from '../engine/__fixtures__/scripted-strategy';
import { renderHtmlReport } from './html-report';

describe('HTML report', () => {
  const candles = dailyCandles([
    [100, 100, 100, 100],
    [100, 111, 99, 110],
    [110, 111, 98, 99],
    [99, 121, 98, 120],
  ]);
  const json = toBacktestJson(runBacktest(candles, new ScriptedStrategy({ 0: 'long', 2: 'flat' }), { cash: 1000 }));
  const html = renderHtmlReport(json, { title: 'sma <cross>', details: { data: 'file.csv' } });

  it('is self-contained: inline SVG charts, no scripts or external resources', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('shows statistics and the trade list, escaping text', () => {
    expect(html).toContain('<title>sma &lt;cross&gt;</title>');
    expect(html).toContain('<td>maxDrawdownPct</td><td>-10</td>');
    expect(html).toContain('Trades (1)');
    expect(html).toContain('<td>long</td><td>10</td>');
  });
});

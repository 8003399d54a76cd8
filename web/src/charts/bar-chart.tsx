import { Bar, BarChart as Chart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartBar { label: string; value: number; note?: string | null }

/**
 * Bars with both axes named, each bar's value written on it, and a note under the chart for bars drawn paler (a
 * month with only some days of orders, say). The figures are also a table, for screen readers and for copying.
 */
export function BarChart({ title, bars, categoryAxis, valueAxis, format, short = format, layout = 'columns', height = 260 }: {
  title: string; bars: ChartBar[]; categoryAxis: string; valueAxis: string; format: (v: number) => string;
  /** How a figure is written on a bar or an axis, where room is short (the table and tooltip use `format`). */
  short?: (v: number) => string;
  layout?: 'columns' | 'rows'; height?: number;
}) {
  const rows = layout === 'rows';
  const noted = bars.filter((b) => b.note);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div aria-hidden="true" style={{ height: rows ? Math.max(height, bars.length * 34 + 60) : height }}>
        <ResponsiveContainer width="100%" height="100%">
          {/* The chart is for the eye; the table below carries the same figures for screen readers and keyboards. */}
          <Chart data={bars} accessibilityLayer={false} layout={rows ? 'vertical' : 'horizontal'} margin={{ top: 22, right: rows ? 80 : 16, bottom: 28, left: rows ? 40 : 24 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={rows} horizontal={!rows} />
            {rows ? (
              <>
                <XAxis type="number" tickFormatter={short} label={{ value: valueAxis, position: 'insideBottom', offset: -16 }} />
                <YAxis type="category" dataKey="label" width={130} label={{ value: categoryAxis, angle: -90, position: 'insideLeft', offset: -30 }} />
              </>
            ) : (
              <>
                <XAxis dataKey="label" interval={0} angle={bars.length > 8 ? -35 : 0} textAnchor={bars.length > 8 ? 'end' : 'middle'} height={bars.length > 8 ? 56 : 30}
                  label={{ value: categoryAxis, position: 'insideBottom', offset: -22 }} />
                <YAxis tickFormatter={short} width={84} label={{ value: valueAxis, angle: -90, position: 'insideLeft', offset: -12 }} />
              </>
            )}
            <Tooltip formatter={(v) => format(Number(v))} />
            <Bar dataKey="value" isAnimationActive={false}>
              {bars.map((b) => <Cell key={b.label} fill={b.note ? 'var(--chart-partial)' : 'var(--chart-bar)'} />)}
              <LabelList dataKey="value" position={rows ? 'right' : 'top'} formatter={(v: unknown) => short(Number(v))} className="chart-value" />
            </Bar>
          </Chart>
        </ResponsiveContainer>
      </div>
      {noted.length > 0 && <p className="chart-note">Paler: {noted.map((b) => `${b.label} (${b.note})`).join('; ')}.</p>}
      <details>
        <summary>{title} as a table</summary>
        <table>
          <thead><tr><th scope="col">{categoryAxis}</th><th scope="col">{valueAxis}</th></tr></thead>
          <tbody>{bars.map((b) => <tr key={b.label}><th scope="row">{b.label}{b.note && ` (${b.note})`}</th><td>{format(b.value)}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

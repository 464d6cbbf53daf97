import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { TimeSeries } from '../api.js';

const COLORS: Record<string, string> = {
  received: '#8a8f98',
  pending: '#c98a00',
  processing: '#2f6fde',
  completed: '#1d8a4c',
  failed: '#c62828',
  superseded: '#7b5ea7',
};

/** A uPlot line chart of per-minute counts, one series per key, sized to its container. */
export function Chart({ title, data }: { title: string; data: TimeSeries }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const keys = Object.keys(data.series);

  useEffect(() => {
    const el = box.current!;
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      series: [
        {},
        ...keys.map((key) => ({ label: key, stroke: COLORS[key] ?? '#444', width: 2, points: { show: false } })),
      ],
      // Whole counts only on the y axis.
      axes: [{ space: 70 }, { label: 'per minute', size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] }],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    };
    plot.current = new uPlot(options, [data.times, ...keys.map((k) => data.series[k])], el);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt when the set of series changes; new numbers only call setData below.
  }, [keys.join()]);

  useEffect(() => {
    plot.current?.setData([data.times, ...keys.map((k) => data.series[k])]);
  }, [data]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
}

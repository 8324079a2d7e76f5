// An SVG of synth time and peak memory against the number of stacks (log-log),
// plain enough to read in a README without a plotting library.

export interface Series {
  readonly label: string;
  readonly colour: string;
  /** [N, value] points. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
}

const W = 360;
const H = 260;
const PAD = { left: 56, right: 16, top: 30, bottom: 44 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function panel(p: Panel, x0: number): string {
  const all = p.series.flatMap((s) => s.points);
  const ns = all.map(([n]) => n);
  const vs = all.map(([, v]) => v);
  const [nMin, nMax] = [Math.min(...ns), Math.max(...ns)];
  const [vMin, vMax] = [Math.min(...vs) / 1.5, Math.max(...vs) * 1.5];
  const x = (n: number) => x0 + PAD.left + ((Math.log10(n) - Math.log10(nMin)) / (Math.log10(nMax) - Math.log10(nMin) || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (Math.log10(v) - Math.log10(vMin)) / (Math.log10(vMax) - Math.log10(vMin) || 1)) * (H - PAD.top - PAD.bottom);
  const parts = [
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${escape(p.title)}</text>`,
    `<line x1="${x0 + PAD.left}" y1="${H - PAD.bottom}" x2="${x0 + W - PAD.right}" y2="${H - PAD.bottom}" stroke="#444"/>`,
    `<line x1="${x0 + PAD.left}" y1="${PAD.top}" x2="${x0 + PAD.left}" y2="${H - PAD.bottom}" stroke="#444"/>`,
    ...[...new Set(ns)].map((n) => `<text x="${x(n)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${n}</text>`),
    `<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle">HeadlampStacks in one app</text>`,
    `<text x="${x0 + 14}" y="${H / 2}" text-anchor="middle" transform="rotate(-90 ${x0 + 14} ${H / 2})">${escape(p.unit)}</text>`,
  ];
  p.series.forEach((s, i) => {
    const pts = s.points.map(([n, v]) => `${x(n).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${pts}"/>`);
    for (const [n, v] of s.points) {
      parts.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.colour}"/>`);
      parts.push(`<text x="${(x(n) + 5).toFixed(1)}" y="${(y(v) - 5).toFixed(1)}" fill="${s.colour}">${fmt(v)}</text>`);
    }
    parts.push(`<text x="${x0 + PAD.left + 8}" y="${PAD.top + 14 + i * 14}" fill="${s.colour}">${escape(s.label)}</text>`);
  });
  return parts.join('\n');
}

/** Side-by-side log-log panels as one SVG document. */
export function plotSvg(panels: readonly Panel[], caption: string): string {
  const width = W * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 20}" viewBox="0 0 ${width} ${H + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => panel(p, i * W)),
    `<text x="${width / 2}" y="${H + 14}" text-anchor="middle" fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

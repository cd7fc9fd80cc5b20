// The report as one self-contained HTML page: the Markdown tables as HTML, plus inline SVG bar charts.
// No scripts, no external resources (the CSP forbids them), so it opens anywhere offline.
import { AGENTS } from '../core/types';
import { datasetLabel, reportMarkdown, solvedAtColumns, type ReportData } from './report';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Chart {
  title: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** Segments of one bar per category instead of one bar per series. */
  stacked?: boolean;
  /** Axis end; default the largest bar. */
  max?: number;
  unit?: string;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** A horizontal bar chart: categories down the left, grouped or stacked bars, legend on top. */
export function barChart(c: Chart): string {
  const labelW = 260;
  const plotW = 420;
  const barH = 16;
  const gap = 12;
  const legendH = 22;
  const top = 30 + legendH;
  const perCat = c.stacked ? 1 : c.series.length;
  const catH = perCat * barH + gap;
  const height = top + c.categories.length * catH + 24;
  const sums = c.categories.map((_, i) => c.series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const largest = c.stacked ? Math.max(0, ...sums) : Math.max(0, ...c.series.flatMap((s) => s.values));
  const max = c.max ?? (largest || 1);
  const x = (v: number) => (plotW * Math.min(v, max)) / max;
  const parts: string[] = [`<text x="0" y="18" class="title">${escapeHtml(c.title)}</text>`];
  let lx = 0;
  c.series.forEach((s, j) => {
    parts.push(`<rect x="${lx}" y="${30}" width="12" height="12" fill="${PALETTE[j % PALETTE.length]}"/><text x="${lx + 16}" y="${40}">${escapeHtml(s.name)}</text>`);
    lx += 28 + s.name.length * 7;
  });
  c.categories.forEach((cat, i) => {
    const y0 = top + i * catH;
    parts.push(`<text x="${labelW - 8}" y="${y0 + (perCat * barH) / 2 + 4}" text-anchor="end">${escapeHtml(cat)}</text>`);
    let acc = 0;
    c.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const y = c.stacked ? y0 : y0 + j * barH;
      const bx = labelW + (c.stacked ? x(acc) : 0);
      const tip = `${cat} · ${s.name}: ${fmt(v)}${c.unit ?? ''}`;
      parts.push(`<rect x="${bx}" y="${y}" width="${x(v)}" height="${barH - 2}" fill="${PALETTE[j % PALETTE.length]}"><title>${escapeHtml(tip)}</title></rect>`);
      if (!c.stacked) parts.push(`<text x="${labelW + x(v) + 4}" y="${y + barH - 5}" class="value">${fmt(v)}${escapeHtml(c.unit ?? '')}</text>`);
      acc += v;
    });
    if (c.stacked) parts.push(`<text x="${labelW + x(acc) + 4}" y="${y0 + barH - 5}" class="value">${fmt(acc)}${escapeHtml(c.unit ?? '')}</text>`);
  });
  const axisY = top + c.categories.length * catH;
  parts.push(`<line x1="${labelW}" y1="${top - 4}" x2="${labelW}" y2="${axisY}" class="axis"/>`);
  for (const f of [0, 0.5, 1]) parts.push(`<text x="${labelW + plotW * f}" y="${axisY + 14}" text-anchor="middle" class="value">${fmt(max * f)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelW + plotW + 80}" height="${height}" viewBox="0 0 ${labelW + plotW + 80} ${height}">${parts.join('')}</svg>`;
}

/** The four charts of the report, in the order they appear. */
export function reportCharts(data: ReportData): Chart[] {
  const groups = data.groups;
  const datasets = [...new Set(groups.map((g) => g.dataset))];
  const modes = [...new Set(groups.map((g) => g.mode))];
  const groupName = (g: (typeof groups)[number]) => `${datasetLabel(g)} · ${g.mode}`;
  const where = solvedAtColumns(groups);
  return [
    {
      title: 'pass@1 by mode (%)',
      categories: datasets.map((d) => datasetLabel({ dataset: d, hiddenAvailable: groups.filter((g) => g.dataset === d).every((g) => g.hiddenAvailable) })),
      series: modes.map((m) => ({ name: m, values: datasets.map((d) => groups.find((g) => g.dataset === d && g.mode === m)?.pass1 ?? 0) })),
      max: 100,
      unit: '%',
    },
    {
      title: 'Where problems were solved (problems)',
      categories: groups.map(groupName),
      series: where.map((w) => ({ name: w, values: groups.map((g) => g.solvedAt[w] ?? 0) })),
      stacked: true,
    },
    {
      title: 'Format failures by agent (replies, recovered + unrecovered)',
      categories: groups.map(groupName),
      series: AGENTS.map((a) => ({ name: a, values: groups.map((g) => g.format[a].recovered + g.format[a].unrecovered) })),
      stacked: true,
    },
    {
      title: 'Token use per problem (average)',
      categories: groups.map(groupName),
      series: [
        { name: 'prompt', values: groups.map((g) => g.avgPromptTokens) },
        { name: 'completion', values: groups.map((g) => g.avgCompletionTokens) },
      ],
      stacked: true,
    },
  ];
}

function inline(s: string): string {
  return escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

/** The subset of Markdown the report writes: headings, bullet lists, pipe tables, paragraphs. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) out.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    else if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i].slice(1, -1).split(' | ').map((c) => c.trim()));
      i--;
      const [head, , ...body] = rows;
      out.push(`<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      for (; i < lines.length && lines[i].startsWith('- '); i++) items.push(`<li>${inline(lines[i].slice(2))}</li>`);
      i--;
      out.push(`<ul>${items.join('')}</ul>`);
    } else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  return out.join('\n');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}
svg{display:block;margin:1.5em 0}svg text{font:12px system-ui,sans-serif;fill:#222}svg .title{font-weight:600;font-size:14px}
svg .value{fill:#555;font-size:11px}svg .axis{stroke:#999}`;

export function reportHtml(data: ReportData): string {
  const charts = data.groups.length ? reportCharts(data).map(barChart).join('\n') : '<p>No results yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>MapCoder-Lite evaluation</title><style>${STYLE}</style></head>
<body>
${markdownToHtml(reportMarkdown(data))}
<h2>Charts</h2>
${charts}
</body></html>
`;
}

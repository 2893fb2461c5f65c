/** One named series of a chart; `null` values are gaps (no data that week), never zeros. */
export interface ChartSeries {
  name: string;
  color: string;
  values: (number | null)[];
}

export interface ChartSpec {
  /** Stable id, written as `data-chart` (tests and readers find charts by it). */
  id: string;
  title: string;
  kind: "bar" | "line";
  /** One label per x position. */
  labels: string[];
  series: ChartSeries[];
  /** Unit shown on the y axis, e.g. `min`, `h`, `%`. */
  unit: string;
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round tick step giving at most 5 gridlines up to `max` (1, 2, 2.5 or 5 × a power of ten). */
function niceStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Math.round(v * 10) / 10);
}

/**
 * Renders a bar or line chart as inline SVG: axes, gridlines, a legend, and a `<title>` on every mark so a
 * reader can hover for the exact value. No scripts, fonts or external references: the file works offline
 * and in any browser.
 */
export function renderSvgChart(spec: ChartSpec): string {
  const W = spec.width ?? 560;
  const H = spec.height ?? 240;
  const m = { top: 34, right: 12, bottom: 46, left: 52 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = spec.series
    .flatMap((s) => s.values)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeXml(spec.id)}" role="img" aria-label="${escapeXml(spec.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`,
  );
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${m.left}" y="18" font-size="13" font-weight="600" fill="#1f2328">${escapeXml(spec.title)}</text>`,
  );
  // Legend, right-aligned on the title line.
  let lx = W - m.right;
  for (const s of [...spec.series].reverse()) {
    const w = 24 + s.name.length * 7;
    lx -= w;
    out.push(`<rect x="${lx}" y="9" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 14}" y="18" font-size="11" fill="#1f2328">${escapeXml(s.name)}</text>`);
  }
  if (all.length === 0 || spec.labels.length === 0) {
    out.push(
      `<text class="no-data" x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="12" fill="#656d76">No data in this range</text>`,
    );
    out.push("</svg>");
    return out.join("");
  }
  const step = niceStep(Math.max(...all));
  const ticks = Math.max(1, Math.ceil(Math.max(...all) / step));
  const max = step * ticks;
  const y = (v: number) => m.top + ph - (v / max) * ph;
  for (let i = 0; i <= ticks; i++) {
    const v = step * i;
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d7de" stroke-width="${i === 0 ? 1 : 0.5}"/>`,
    );
    out.push(
      `<text x="${m.left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end" fill="#656d76">${fmt(v)}</text>`,
    );
  }
  out.push(
    `<text x="12" y="${m.top + ph / 2}" font-size="10" fill="#656d76" transform="rotate(-90 12 ${m.top + ph / 2})" text-anchor="middle">${escapeXml(spec.unit)}</text>`,
  );
  const n = spec.labels.length;
  const slot = pw / n;
  const every = Math.max(1, Math.ceil(n / 12));
  spec.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const x = m.left + slot * (i + 0.5);
    out.push(
      `<text x="${x}" y="${m.top + ph + 16}" font-size="10" text-anchor="middle" fill="#656d76">${escapeXml(label)}</text>`,
    );
  });
  if (spec.kind === "bar") {
    const k = spec.series.length;
    const bw = Math.max(2, (slot * 0.8) / k);
    spec.series.forEach((s, si) => {
      s.values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v)) return;
        const x = m.left + slot * i + slot * 0.1 + bw * si;
        const h = Math.max(v > 0 ? 1 : 0, (v / max) * ph);
        out.push(
          `<rect class="mark" x="${x.toFixed(1)}" y="${(m.top + ph - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${s.name} · ${spec.labels[i]}: ${fmt(v)} ${spec.unit}`)}</title></rect>`,
        );
      });
    });
  } else {
    for (const s of spec.series) {
      const pts = s.values
        .map((v, i) =>
          v === null || !Number.isFinite(v) ? null : ([m.left + slot * (i + 0.5), y(v), v, i] as const),
        )
        .filter((p) => p !== null);
      // Consecutive points are joined; a gap (null) breaks the line.
      let path = "";
      let prev = -2;
      for (const [x, yy, , i] of pts) {
        path += `${i === prev + 1 ? "L" : "M"}${x.toFixed(1)} ${yy.toFixed(1)} `;
        prev = i;
      }
      if (path) out.push(`<path d="${path.trim()}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      for (const [x, yy, v, i] of pts) {
        out.push(
          `<circle class="mark" cx="${x.toFixed(1)}" cy="${yy.toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.name} · ${spec.labels[i]}: ${fmt(v)} ${spec.unit}`)}</title></circle>`,
        );
      }
    }
  }
  out.push("</svg>");
  return out.join("");
}

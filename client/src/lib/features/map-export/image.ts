import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LegendGroup, LegendShape } from './legend';

/** What is written on the exported image besides the map. */
export interface MapImageText {
  /** Title line, e.g. "喜洲镇 · 风险一张图 · 2026-11-01 至 2026-11-27". */
  title: string;
  /** Legend groups drawn bottom-left. */
  legend: LegendGroup[];
  /** Footer line (export time), bottom-right under the scale bar. */
  footer: string;
  /** Sample-data note, drawn in amber when present. */
  sampleNote: string | null;
}

/** A rectangle of the map canvas in device pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/**
 * The map's current frame copied to a 2D canvas of the same pixel size. The
 * copy is taken inside the 'render' callback, while the WebGL drawing buffer
 * is still valid (so no `preserveDrawingBuffer` is needed); other canvases in
 * the map container (the deck.gl overlay, `#deckgl-overlay`, whose luma.gl
 * context preserves its buffer) are drawn on top, scaled to the same size.
 */
export function snapshotMap(map: MapLibreMap, crop: PixelRect | null = null): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    map.once('render', () => {
      const source = map.getCanvas();
      const area = crop ?? { x: 0, y: 0, width: source.width, height: source.height };
      const copy = document.createElement('canvas');
      copy.width = area.width;
      copy.height = area.height;
      const context = copy.getContext('2d')!;
      context.drawImage(source, area.x, area.y, area.width, area.height, 0, 0, area.width, area.height);
      for (const overlay of map.getContainer().querySelectorAll<HTMLCanvasElement>('canvas')) {
        if (overlay === source || overlay.width === 0 || overlay.height === 0) continue;
        const sx = overlay.width / source.width;
        const sy = overlay.height / source.height;
        context.drawImage(overlay, area.x * sx, area.y * sy, area.width * sx, area.height * sy, 0, 0, area.width, area.height);
      }
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

/** A round scale-bar length (1, 2, 5 × 10ⁿ metres) close to `maxMeters`. */
export function niceMeters(maxMeters: number): number {
  const power = 10 ** Math.floor(Math.log10(maxMeters));
  const step = [5, 2, 1].find((factor) => factor * power <= maxMeters) ?? 1;
  return step * power;
}

/** Metres per CSS pixel at the map's centre. */
function metersPerPixel(map: MapLibreMap): number {
  const latitude = (map.getCenter().lat * Math.PI) / 180;
  return (40_075_016.686 * Math.cos(latitude)) / (512 * 2 ** map.getZoom());
}

function roundRect(context: CanvasRenderingContext2D, x: number, y: number, width: number, height: number, radius: number): void {
  context.beginPath();
  context.roundRect(x, y, width, height, radius);
}

function symbol(context: CanvasRenderingContext2D, shape: LegendShape, color: string, x: number, y: number, size: number): void {
  context.save();
  context.fillStyle = color;
  context.strokeStyle = color;
  context.lineWidth = Math.max(1.5, size / 7);
  const middle = y + size / 2;
  if (shape === 'fill') {
    context.globalAlpha = 0.85;
    context.fillRect(x, y + size * 0.1, size * 1.4, size * 0.8);
  } else if (shape === 'dot') {
    context.beginPath();
    context.arc(x + size * 0.7, middle, size * 0.38, 0, Math.PI * 2);
    context.fill();
    context.strokeStyle = '#fff';
    context.lineWidth = Math.max(1, size / 10);
    context.stroke();
  } else if (shape === 'ring') {
    context.beginPath();
    context.arc(x + size * 0.7, middle, size * 0.36, 0, Math.PI * 2);
    context.lineWidth = Math.max(2, size / 5);
    context.stroke();
  } else {
    if (shape === 'dash') context.setLineDash([size / 3, size / 5]);
    context.beginPath();
    context.moveTo(x, middle);
    context.lineTo(x + size * 1.4, middle);
    context.stroke();
  }
  context.restore();
}

/** Draws the title band across the top. Returns its height. */
function drawTitle(context: CanvasRenderingContext2D, title: string, width: number, scale: number): number {
  const height = Math.round(44 * scale);
  context.fillStyle = 'rgba(31, 58, 86, 0.92)';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#ffffff';
  context.font = `600 ${Math.round(19 * scale)}px ${FONT}`;
  context.textBaseline = 'middle';
  context.fillText(title, Math.round(16 * scale), height / 2, width - 32 * scale);
  return height;
}

/** Draws the legend box bottom-left. */
function drawLegend(context: CanvasRenderingContext2D, groups: LegendGroup[], height: number, scale: number): void {
  if (groups.length === 0) return;
  const size = Math.round(13 * scale);
  const line = Math.round(19 * scale);
  const pad = Math.round(10 * scale);
  const columnWidth = Math.round(150 * scale);
  const rows = groups.reduce((sum, group) => sum + group.entries.length + 1, 0);
  const columns = Math.ceil(rows / Math.max(4, Math.floor((height * 0.42) / line)));
  const maxRows = Math.ceil(rows / columns);
  const boxWidth = columns * columnWidth + pad * 2;
  const boxHeight = Math.min(rows, maxRows) * line + pad * 2;
  const left = Math.round(12 * scale);
  const top = height - boxHeight - Math.round(12 * scale);
  context.fillStyle = 'rgba(255, 255, 255, 0.94)';
  context.strokeStyle = 'rgba(31, 58, 86, 0.25)';
  roundRect(context, left, top, boxWidth, boxHeight, 8 * scale);
  context.fill();
  context.stroke();
  context.textBaseline = 'middle';
  let row = 0;
  const at = () => ({ x: left + pad + Math.floor(row / maxRows) * columnWidth, y: top + pad + (row % maxRows) * line })
  for (const group of groups) {
    const { x, y } = at();
    context.fillStyle = '#1c2733';
    context.font = `600 ${Math.round(12.5 * scale)}px ${FONT}`;
    context.fillText(group.title, x, y + line / 2, columnWidth - pad);
    row += 1;
    for (const entry of group.entries) {
      const spot = at();
      symbol(context, entry.shape, entry.color, spot.x, spot.y + (line - size) / 2, size);
      context.fillStyle = '#485667';
      context.font = `${Math.round(12 * scale)}px ${FONT}`;
      context.fillText(entry.label, spot.x + size * 1.8, spot.y + line / 2, columnWidth - size * 2.2 - pad);
      row += 1;
    }
  }
}

/** Draws the scale bar, the footer and the sample note bottom-right. */
function drawFooter(context: CanvasRenderingContext2D, map: MapLibreMap, text: MapImageText, width: number, height: number, scale: number): void {
  const meters = niceMeters(metersPerPixel(map) * 120);
  const barWidth = (meters / metersPerPixel(map)) * scale;
  const pad = Math.round(10 * scale);
  const lines = [text.footer, ...(text.sampleNote ? [text.sampleNote] : [])];
  context.font = `${Math.round(12 * scale)}px ${FONT}`;
  const textWidth = Math.max(barWidth, ...lines.map((value) => context.measureText(value).width));
  const boxWidth = textWidth + pad * 2;
  const line = Math.round(18 * scale);
  const boxHeight = pad * 2 + line * (lines.length + 1);
  const left = width - boxWidth - Math.round(12 * scale);
  const top = height - boxHeight - Math.round(12 * scale);
  context.fillStyle = 'rgba(255, 255, 255, 0.94)';
  context.strokeStyle = 'rgba(31, 58, 86, 0.25)';
  roundRect(context, left, top, boxWidth, boxHeight, 8 * scale);
  context.fill();
  context.stroke();
  const barY = top + pad + line * 0.65;
  context.strokeStyle = '#1c2733';
  context.lineWidth = 2 * scale;
  context.beginPath();
  context.moveTo(left + pad, barY - 5 * scale);
  context.lineTo(left + pad, barY);
  context.lineTo(left + pad + barWidth, barY);
  context.lineTo(left + pad + barWidth, barY - 5 * scale);
  context.stroke();
  context.fillStyle = '#1c2733';
  context.textBaseline = 'bottom';
  context.fillText(meters >= 1000 ? `${meters / 1000} km` : `${meters} m`, left + pad + 4 * scale, barY - 3 * scale);
  context.textBaseline = 'middle';
  lines.forEach((value, index) => {
    context.fillStyle = index === 1 ? '#b35c00' : '#485667';
    context.fillText(value, left + pad, top + pad + line * (index + 1.5));
  });
}

/**
 * The map's current view (the whole canvas, or `crop` of it: the part not
 * hidden by a side panel) as a PNG blob of that pixel size, with
 * the title band, the legend, the scale bar, the export time and the
 * sample-data note drawn over it.
 */
export async function renderMapImage(map: MapLibreMap, text: MapImageText, crop: PixelRect | null = null): Promise<Blob> {
  const canvas = await snapshotMap(map, crop);
  const context = canvas.getContext('2d')!;
  const source = map.getCanvas();
  const scale = source.width / Math.max(1, source.clientWidth || source.width);
  drawTitle(context, text.title, canvas.width, scale);
  drawLegend(context, text.legend, canvas.height, scale);
  drawFooter(context, map, text, canvas.width, canvas.height, scale);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))), 'image/png'));
}

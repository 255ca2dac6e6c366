/**
 * A small diagonal hatch, red on transparent, as MapLibre image data
 * (`map.addImage`), for the problem areas.
 */
export function hatchImage(sizePx = 12, color: [number, number, number] = [220, 38, 38]): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(sizePx * sizePx * 4);
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const onStripe = (x + y) % sizePx < 2;
      const offset = (y * sizePx + x) * 4;
      data[offset] = color[0];
      data[offset + 1] = color[1];
      data[offset + 2] = color[2];
      data[offset + 3] = onStripe ? 210 : 0;
    }
  }
  return { width: sizePx, height: sizePx, data };
}

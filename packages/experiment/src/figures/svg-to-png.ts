import sharp from 'sharp';

/** Renders an SVG document to PNG bytes with sharp (librsvg). */
export function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}

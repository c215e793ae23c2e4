// The image viewer's zoom and pan, as plain numbers: an image of natural
// size (w, h) drawn at `scale` with its top-left corner at (x, y) inside a
// viewport (vw, vh). "Fit" shows the whole image, never above 100 %.

/** Width and height. */
export interface Size {
  w: number;
  h: number;
}

/** How the image is drawn: scale, and the offset of its top-left corner. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

/** The largest zoom: 800 %. */
export const maxScale = 8;
/** One zoom step (button, key, wheel notch) multiplies or divides by this. */
export const zoomStep = 1.25;

/** The scale that shows the whole image in the viewport, at most 1 (small images are not blown up). */
export function fitScale(img: Size, port: Size): number {
  if (img.w <= 0 || img.h <= 0 || port.w <= 0 || port.h <= 0) return 1;
  return Math.min(1, port.w / img.w, port.h / img.h);
}

/** The smallest zoom: the fit, or less for an image that is already small (but at least 10 %). */
export function minScale(img: Size, port: Size): number {
  return Math.max(0.1, Math.min(fitScale(img, port), 1));
}

/**
 * Keeps the image in place: centred on an axis where it is smaller than
 * the viewport, else no gap between its edge and the viewport's.
 */
export function clampView(v: View, img: Size, port: Size): View {
  const axis = (pos: number, size: number, room: number) => (size <= room ? (room - size) / 2 : Math.min(0, Math.max(room - size, pos)));
  return { scale: v.scale, x: axis(v.x, img.w * v.scale, port.w), y: axis(v.y, img.h * v.scale, port.h) };
}

/** The view at scale s, centred. */
export function centred(s: number, img: Size, port: Size): View {
  return clampView({ scale: s, x: (port.w - img.w * s) / 2, y: (port.h - img.h * s) / 2 }, img, port);
}

/** The fitted view. */
export function fitView(img: Size, port: Size): View {
  return centred(fitScale(img, port), img, port);
}

/**
 * Zooms to scale `to` (clamped) keeping the image point under (px, py) —
 * the pointer, or the viewport's centre — where it is.
 */
export function zoomTo(v: View, to: number, px: number, py: number, img: Size, port: Size): View {
  const s = Math.min(maxScale, Math.max(minScale(img, port), to));
  const ix = (px - v.x) / v.scale;
  const iy = (py - v.y) / v.scale;
  return clampView({ scale: s, x: px - ix * s, y: py - iy * s }, img, port);
}

/** One step in (+1) or out (-1), about (px, py). */
export function zoomBy(v: View, steps: number, px: number, py: number, img: Size, port: Size): View {
  return zoomTo(v, v.scale * zoomStep ** steps, px, py, img, port);
}

/** Moves the image by (dx, dy) pixels, within clampView's bounds. */
export function pan(v: View, dx: number, dy: number, img: Size, port: Size): View {
  return clampView({ scale: v.scale, x: v.x + dx, y: v.y + dy }, img, port);
}

/** Whether the view is the fit (within rounding). */
export function isFit(v: View, img: Size, port: Size): boolean {
  return Math.abs(v.scale - fitScale(img, port)) < 1e-3;
}

/**
 * What a double-click does: from the fit to 100 % at the pointer (to 200 %
 * when the fit is 100 % already, a small image), from anything else back
 * to the fit.
 */
export function toggle(v: View, px: number, py: number, img: Size, port: Size): View {
  if (!isFit(v, img, port)) return fitView(img, port);
  const fit = fitScale(img, port);
  return zoomTo(v, fit >= 1 ? 2 : 1, px, py, img, port);
}

/** Whether the image is larger than the viewport (so it can be dragged). */
export function canPan(v: View, img: Size, port: Size): boolean {
  return img.w * v.scale > port.w + 0.5 || img.h * v.scale > port.h + 0.5;
}

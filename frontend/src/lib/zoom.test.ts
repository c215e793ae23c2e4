import { describe, expect, it } from 'vitest';
import { canPan, clampView, fitScale, fitView, isFit, maxScale, pan, toggle, zoomBy, zoomTo } from './zoom';

const port = { w: 800, h: 600 };
const big = { w: 1600, h: 1000 };
const small = { w: 200, h: 100 };

describe('zoom', () => {
  it('fits a large image into the window and leaves a small one at 100 %', () => {
    expect(fitScale(big, port)).toBe(0.5);
    expect(fitScale(small, port)).toBe(1);
    expect(fitScale({ w: 0, h: 0 }, port)).toBe(1);
  });

  it('centres an image smaller than the window', () => {
    expect(fitView(big, port)).toEqual({ scale: 0.5, x: 0, y: 50 });
    expect(fitView(small, port)).toEqual({ scale: 1, x: 300, y: 250 });
  });

  it('zooms about a point, which stays where it is', () => {
    const v = zoomTo(fitView(big, port), 1, 400, 300, big, port);
    expect(v.scale).toBe(1);
    // The image point under (400, 300) was (800, 500): still under it.
    expect((400 - v.x) / v.scale).toBeCloseTo(800);
    expect((300 - v.y) / v.scale).toBeCloseTo(500);
  });

  it('steps by 1.25 and stops at the fit and at 800 %', () => {
    const fit = fitView(big, port);
    expect(zoomBy(fit, 1, 400, 300, big, port).scale).toBeCloseTo(0.625);
    expect(zoomBy(fit, -3, 400, 300, big, port).scale).toBe(0.5);
    expect(zoomBy(fit, 40, 400, 300, big, port).scale).toBe(maxScale);
  });

  it('pans a zoomed image without showing a gap at its edges', () => {
    const v = zoomTo(fitView(big, port), 1, 400, 300, big, port);
    expect(canPan(v, big, port)).toBe(true);
    expect(pan(v, 10_000, 10_000, big, port)).toEqual({ scale: 1, x: 0, y: 0 });
    expect(pan(v, -10_000, -10_000, big, port)).toEqual({ scale: 1, x: -800, y: -400 });
    expect(canPan(fitView(big, port), big, port)).toBe(false);
    expect(clampView({ scale: 1, x: 50, y: 50 }, small, port)).toEqual({ scale: 1, x: 300, y: 250 });
  });

  it('toggles between the fit and 100 % (200 % for a small image) on a double-click', () => {
    const fit = fitView(big, port);
    const full = toggle(fit, 100, 100, big, port);
    expect(full.scale).toBe(1);
    expect(isFit(full, big, port)).toBe(false);
    expect(toggle(full, 100, 100, big, port)).toEqual(fit);
    expect(toggle(fitView(small, port), 400, 300, small, port).scale).toBe(2);
  });
});

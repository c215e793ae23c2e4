import { describe, expect, it } from 'vitest';
import { bareVersion, formatListTime, formatTime } from './format';

describe('format', () => {
  const morning = new Date(2025, 0, 1, 6, 54).getTime();

  it('writes times without a leading zero', () => {
    expect(formatTime(morning, 'en-US')).toMatch(/^6:54\sAM$/);
    expect(formatTime(morning, 'de')).toBe('6:54');
    expect(formatTime(new Date(2025, 0, 1, 18, 5).getTime(), 'de')).toBe('18:05');
    expect(formatListTime(morning, morning + 1000, 'en-US')).toMatch(/^6:54\sAM$/);
  });

  it('drops the v of a version', () => {
    expect(bareVersion('v0.0.0-133-gc7a71f8')).toBe('0.0.0-133-gc7a71f8');
    expect(bareVersion('1.2.3')).toBe('1.2.3');
    expect(bareVersion('vnext')).toBe('vnext');
  });
});

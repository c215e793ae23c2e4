import { describe, expect, it } from 'vitest';
import { baseMime, formatClock, formatLength, isAudio, peaks, voiceFileName } from './audio';

describe('peaks', () => {
  it('takes the loudest sample of each slice over all channels, scaled to 1', () => {
    const left = new Float32Array([0.1, -0.2, 0, 0, 0.5, 0.25, 0, 0]);
    const right = new Float32Array([0, 0, -0.4, 0, 0, 0, 0, 0.05]);
    expect(peaks([left, right], 4).map((v) => Number(v.toFixed(3)))).toEqual([0.4, 0.8, 1, 0.1]);
  });
  it('gives zeros for silence and for no samples', () => {
    expect(peaks([new Float32Array(10)], 3)).toEqual([0, 0, 0]);
    expect(peaks([], 2)).toEqual([0, 0]);
  });
  it('draws more bars than samples without reading past the end', () => {
    expect(peaks([new Float32Array([1, -0.5])], 4)).toEqual([1, 1, 0.5, 0.5]);
  });
});

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [7.9, '0:07'],
    [65, '1:05'],
    [3725, '1:02:05'],
    [Number.NaN, '0:00'],
    [Number.POSITIVE_INFINITY, '0:00'],
  ])('%s s is %s', (s, want) => expect(formatClock(s)).toBe(want));
});

describe('formatLength', () => {
  it.each([
    [0, '0:00'],
    [0.4, '0:01'],
    [0.5, '0:01'],
    [2.4, '0:02'],
    [2.6, '0:03'],
    [59.6, '1:00'],
    [Number.NaN, '0:00'],
    [-1, '0:00'],
  ])('%s s is %s', (s, want) => expect(formatLength(s)).toBe(want));
});

describe('voice files', () => {
  it('names a recording by its time and format', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5);
    expect(voiceFileName(at, 'audio/webm;codecs=opus')).toBe('voice-20250102-030405.webm');
    expect(voiceFileName(at, 'audio/ogg; codecs=opus')).toBe('voice-20250102-030405.ogg');
    expect(voiceFileName(at, 'audio/mp4')).toBe('voice-20250102-030405.m4a');
  });
  it('knows audio by the message type or the media type', () => {
    expect(isAudio('audio', undefined)).toBe(true);
    expect(isAudio('file', 'Audio/AAC')).toBe(true);
    expect(isAudio('file', 'application/pdf')).toBe(false);
    expect(baseMime('audio/webm;codecs=opus')).toBe('audio/webm');
  });
});

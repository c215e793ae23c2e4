// Voice messages: the waveform of decoded audio, clock times, and what the
// recorder can produce.

/** Bars drawn for a voice message's waveform. */
export const waveformBars = 48;

/** The longest voice message the composer records (s). */
export const maxRecordingSeconds = 15 * 60;

/** Decoded audio: its samples per channel and its length in seconds. */
export interface DecodedAudio {
  channels: Float32Array[];
  duration: number;
}

/** Decodes audio bytes (Web Audio); rejects when the engine cannot. */
export type AudioDecoder = (bytes: ArrayBuffer) => Promise<DecodedAudio>;

/**
 * The peak of each of `bars` equal slices of the audio (the loudest channel),
 * scaled so that the loudest bar is 1. Silence gives zeros.
 */
export function peaks(channels: Float32Array[], bars: number = waveformBars): number[] {
  const length = Math.max(0, ...channels.map((c) => c.length));
  const out = new Array<number>(bars).fill(0);
  if (length === 0) return out;
  for (let b = 0; b < bars; b++) {
    const from = Math.floor((b * length) / bars);
    const to = Math.max(from + 1, Math.floor(((b + 1) * length) / bars));
    let peak = 0;
    for (const c of channels) {
      for (let i = from; i < to && i < c.length; i++) {
        const v = Math.abs(c[i] ?? 0);
        if (v > peak) peak = v;
      }
    }
    out[b] = peak;
  }
  const top = Math.max(...out);
  return top > 0 ? out.map((v) => v / top) : out;
}

/**
 * A message's length in seconds as m:ss, to the nearest second and at least
 * 0:01 when there is sound at all: a clip of half a second is not "0:00".
 */
export function formatLength(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return formatClock(0);
  return formatClock(Math.max(1, Math.round(seconds)));
}

/** A position in seconds as m:ss (h:mm:ss from an hour on), counting whole seconds played. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** The media type without parameters: "audio/webm;codecs=opus" → "audio/webm". */
export function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a message's file is audio to play inline. */
export function isAudio(type: string, mime: string | undefined): boolean {
  return type === 'audio' || (mime !== undefined && baseMime(mime).startsWith('audio/'));
}

/** The file name of a voice message recorded at `at`: voice-YYYYMMDD-HHMMSS.ext. */
export function voiceFileName(at: Date, mime: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  const ext: Record<string, string> = { 'audio/ogg': 'ogg', 'audio/webm': 'webm', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/wav': 'wav' };
  return `voice-${stamp}.${ext[baseMime(mime)] ?? 'webm'}`;
}

/** Recorder formats in the order they are preferred: Opus first. */
const recorderTypes = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/webm', 'audio/mp4'];

/**
 * Whether this engine can record a voice message: getUserMedia and
 * MediaRecorder. The window's WebKitGTK has both because Go turns its media
 * streams on (window_media_linux.go); an engine without them gets no
 * microphone button.
 */
export function canRecord(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function' && typeof MediaRecorder !== 'undefined';
}

/** The recorder format to ask for, or '' to let the engine choose. */
export function recorderMime(): string {
  if (typeof MediaRecorder === 'undefined' || typeof MediaRecorder.isTypeSupported !== 'function') return '';
  return recorderTypes.find((t) => MediaRecorder.isTypeSupported(t)) ?? '';
}

/** Decodes with Web Audio; rejects where there is none (or it cannot decode the format). */
export const webAudioDecoder: AudioDecoder = async (bytes) => {
  const Ctx = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) throw new Error('no Web Audio');
  const ctx = new Ctx();
  try {
    const buf = await ctx.decodeAudioData(bytes);
    const channels: Float32Array[] = [];
    for (let i = 0; i < buf.numberOfChannels; i++) channels.push(buf.getChannelData(i));
    return { channels, duration: buf.duration };
  } finally {
    void ctx.close().catch(() => {});
  }
};

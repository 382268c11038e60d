// A short sound for each scan: a high beep when the engine accepts the
// pack, a low buzz when it refuses it (or the code is unknown), so the
// cashier need not look up after every scan. Web Audio oscillators, no
// audio files. On or off per workstation (localStorage), on by default.
//
// The AudioContext is made (or resumed) inside the scan's own key event:
// WebKit lets audio start only from a user gesture, and the beep itself
// comes after the engine's answer. Nothing runs per keystroke. Once a tone
// has played the context is suspended: a running one renders silence
// without end, an audio thread busy on the till's two cores.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

/** localStorage key of this workstation's choice ("on" / "off"). */
export const SCAN_SOUND_KEY = "pharmapos.till.scan-sound";

export type ScanSound = "accepted" | "refused";

function readChoice(): boolean {
  try {
    return localStorage.getItem(SCAN_SOUND_KEY) !== "off";
  } catch {
    return true;
  }
}

function saveChoice(on: boolean): void {
  try {
    localStorage.setItem(SCAN_SOUND_KEY, on ? "on" : "off");
  } catch {
    // Storage refused (private mode): the choice lasts this session.
  }
}

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
  if (typeof window === "undefined") return null;
  const w = window as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

/** How long after a tone ends the audio is suspended (the next scan resumes it). */
const SUSPEND_AFTER_TONE_MS = 250;

/** The tones: [waveform, frequency Hz, seconds]. */
const TONES: Record<ScanSound, [OscillatorType, number, number]> = {
  accepted: ["sine", 1400, 0.08],
  refused: ["square", 180, 0.35],
};

/** Plays one tone on `ctx`. */
export function playTone(ctx: AudioContext, sound: ScanSound): void {
  const [type, frequency, seconds] = TONES[sound];
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  const t0 = ctx.currentTime;
  osc.type = type;
  osc.frequency.setValueAtTime(frequency, t0);
  gain.gain.setValueAtTime(0.15, t0);
  // A quick fade avoids the click of a hard stop.
  gain.gain.exponentialRampToValueAtTime(0.001, t0 + seconds);
  osc.connect(gain);
  gain.connect(ctx.destination);
  osc.start(t0);
  osc.stop(t0 + seconds);
}

/** The till's scan sound: the workstation's choice, a toggle, and the two tones. */
export function useScanSound(): {
  on: boolean;
  toggle: () => void;
  /** Call synchronously in the scan's key event: readies the audio (first scan only). */
  prime: () => void;
  play: (sound: ScanSound) => void;
} {
  const [on, setOn] = useState(readChoice);
  const ctx = useRef<AudioContext | null>(null);
  const idle = useRef<number | null>(null);
  const stopIdleTimer = () => {
    if (idle.current !== null) window.clearTimeout(idle.current);
    idle.current = null;
  };
  useEffect(
    () => () => {
      stopIdleTimer();
      void ctx.current?.close().catch(() => undefined);
      ctx.current = null;
    },
    [],
  );
  // Made when the till opens, and suspended at once: making one starts the
  // audio pipeline (tens of milliseconds in WebKitGTK), which the first
  // scan's key event would otherwise wait for. The scan resumes it.
  useEffect(() => {
    if (!on || ctx.current) return;
    const Ctor = audioContextClass();
    if (!Ctor) return;
    try {
      ctx.current = new Ctor();
      void ctx.current.suspend().catch(() => undefined);
    } catch {
      // No audio here: prime() tries again at the first scan.
    }
  }, [on]);

  const prime = useCallback(() => {
    if (!on) return;
    stopIdleTimer();
    if (!ctx.current) {
      const Ctor = audioContextClass();
      if (!Ctor) return;
      try {
        ctx.current = new Ctor();
      } catch {
        return;
      }
    }
    if (ctx.current.state === "suspended") void ctx.current.resume().catch(() => undefined);
  }, [on]);

  const play = useCallback(
    (sound: ScanSound) => {
      if (!on) return;
      prime();
      const c = ctx.current;
      if (c) {
        try {
          playTone(c, sound);
        } catch {
          // No audio device: the till works silently.
        }
        stopIdleTimer();
        idle.current = window.setTimeout(
          () => {
            idle.current = null;
            void c.suspend().catch(() => undefined);
          },
          TONES[sound][2] * 1000 + SUSPEND_AFTER_TONE_MS,
        );
      }
    },
    [on, prime],
  );

  const toggle = useCallback(() => {
    setOn((v) => {
      saveChoice(!v);
      return !v;
    });
  }, []);

  return useMemo(() => ({ on, toggle, prime, play }), [on, toggle, prime, play]);
}

// Asking the server again and again while a page is open (is my session alive? who is logged
// in?), and not while nobody can see the page: a hidden tab (another tab in front, a minimised
// window, a locked phone) sends nothing, and asks at once when it is shown again.
import { useCallback, useEffect, useEffectEvent, useRef } from "react";

const isHidden = () => document.visibilityState === "hidden";

/**
 * Run `task(signal)` every `intervalMs` while `enabled`. One run at a time: the next one is
 * planned `intervalMs` after the last one started (a slow answer does not stretch the gap).
 * While the tab is hidden nothing runs; when it is shown again the task runs at once.
 * `immediate` runs it on start too (else the first run is `intervalMs` after the start).
 * A new `restartOn` value starts polling over (what the task asks for has changed).
 * `task` handles its own errors; `signal` aborts when polling stops or a newer run starts.
 * Returns a function that runs the task at once (a run on its way is aborted: its answer is older).
 */
export function usePolling(
  task,
  intervalMs,
  { enabled = true, immediate = false, restartOn } = {},
) {
  const onRun = useEffectEvent((signal) => task(signal));
  const runNowRef = useRef(() => {});

  useEffect(() => {
    if (!enabled) return;
    const stopped = new AbortController();
    let timer;
    let running = null; // the AbortController of the run on its way

    async function run() {
      clearTimeout(timer);
      running?.abort();
      const mine = new AbortController();
      running = mine;
      const started = Date.now();
      try {
        await onRun(AbortSignal.any([stopped.signal, mine.signal]));
      } catch {
        // The task reports its own failures; polling goes on.
      }
      if (mine.signal.aborted || stopped.signal.aborted) return; // replaced, or stopped
      running = null;
      timer = setTimeout(tick, Math.max(0, started + intervalMs - Date.now()));
    }

    // Hidden: stop here. Showing the tab starts the next run.
    function tick() {
      if (!isHidden()) run();
    }

    function onVisibilityChange() {
      if (!isHidden() && running === null) run();
    }

    document.addEventListener("visibilitychange", onVisibilityChange);
    runNowRef.current = run;
    if (immediate) tick();
    else timer = setTimeout(tick, intervalMs);
    return () => {
      stopped.abort();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibilityChange);
      runNowRef.current = () => {};
    };
    // restartOn is not read here: a new value is only a reason to start again.
  }, [enabled, immediate, intervalMs, restartOn]);

  return useCallback(() => runNowRef.current(), []);
}

/** How the demo talks: one line per action and per observed outcome, with the time it took. */

export interface Narrator {
  heading(text: string): void;
  /** Something a person (the seller, the Microsoft seller) does. */
  action(text: string): void;
  /** An outcome the demo saw happen, and how long after the action. */
  ok(text: string, elapsedMs?: number): void;
  /** An outcome that is an error by design (e.g. the validation failure a seller is shown). */
  shown(text: string): void;
  fail(text: string): void;
  note(text: string): void;
}

export function createNarrator(write: (line: string) => void): Narrator {
  const timed = (text: string, elapsedMs?: number) => (elapsedMs === undefined ? text : `${text} (${Math.round(elapsedMs)} ms)`);
  return {
    heading: (text) => write(`\n${text}`),
    action: (text) => write(`  ▶ ${text}`),
    ok: (text, elapsedMs) => write(`    ✔ ${timed(text, elapsedMs)}`),
    shown: (text) => write(`      ${text}`),
    fail: (text) => write(`    ✖ ${text}`),
    note: (text) => write(`  ${text}`),
  };
}

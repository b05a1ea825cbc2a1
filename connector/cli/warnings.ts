/**
 * Node prints an ExperimentalWarning the first time `node:sqlite` loads (and may warn about other experimental
 * APIs the connector's libraries touch). In a command's output that notice reads like a fault and breaks scripts
 * that parse stderr, so the `cosell` process drops experimental-feature notices and prints any other warning as
 * one line, without Node's "(Use `node --trace-warnings ...`)" footer.
 */
export function quietRuntimeWarnings(target: NodeJS.Process = process, write: (text: string) => void = (text) => void process.stderr.write(text)): void {
  target.removeAllListeners('warning');
  target.on('warning', (warning: Error) => {
    if (warning.name === 'ExperimentalWarning') return;
    write(`cosell: ${warning.name}: ${warning.message}\n`);
  });
}

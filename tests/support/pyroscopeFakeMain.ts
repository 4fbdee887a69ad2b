/**
 * The Pyroscope stand-in (pyroscopeFake.ts) as a process of its own, for the browser tests (tests/browser/run.mjs is
 * plain Node and cannot import TypeScript): prints `PYROSCOPE_FAKE_URL=<url>` once listening, stops on SIGTERM.
 *   node --import tsx tests/support/pyroscopeFakeMain.ts
 */
import { startFakePyroscope } from './pyroscopeFake';

async function main(): Promise<void> {
  const fake = await startFakePyroscope();
  console.log(`PYROSCOPE_FAKE_URL=${fake.url}`);
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

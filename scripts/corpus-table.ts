/**
 * Prints the real-world corpus table (fixtures/real-world/SOURCES.md): for every file, our result, the independent
 * one and the verdict. `npx tsx scripts/corpus-table.ts` (needs Go for the profile rows, like tools/pprofcheck).
 */
import { dumpRows, markdownTable, profileRows } from '../tests/support/realWorldCorpus';

console.log(markdownTable([...dumpRows(), ...profileRows()]));

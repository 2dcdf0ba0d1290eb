import { parseRecording, serializeRecording } from '../../src/ui/recordingFile';
import { hostileRecordings } from './hostileRecordings';
for (const c of hostileRecordings(20)) {
  const t0 = Date.now();
  let res: string;
  try { const r = parseRecording(c.text); serializeRecording(r); res = `OPEN ${r.stalls.length} stalls`; } catch (e) { res = `ERR ${(e as Error).message.slice(0, 120)}`; }
  console.log(c.name.padEnd(40), `${Date.now() - t0}ms`.padStart(7), res);
}

/**
 * A finding from a linked chain: where the call is, the rule, and a message that says how the
 * call reaches the blocking API (directly, through helpers, or inside an installed package).
 */
import * as path from 'node:path';
import { dependencyMessage } from './deps/where';
import type { Chain } from './linker';
import type { CallSite } from './summaryTypes';
import type { Finding, Severity } from './types';

export function findingOf(
  file: string,
  call: CallSite,
  chain: Chain,
  ctx: string,
  severity: Severity,
): Finding {
  const { hit, steps } = chain;
  const direct = steps.length === 1;
  const last = steps[steps.length - 1]!;
  const via = steps.map((s) => s.name).join(' → ');
  const where = `${path.basename(last.file)}:${last.line}`;
  const message =
    hit.category === 'threadpool'
      ? `${call.name}(… ${hit.api} per element) can saturate the libuv threadpool in ${ctx}: ${hit.why}. Instead, ${hit.replacement}.`
      : direct
        ? `${hit.api} blocks the event loop in ${ctx}: ${hit.why}. Use ${hit.replacement}.`
        : (dependencyMessage(file, call.name, ctx, hit, steps) ??
          `${callText(call)} blocks the event loop in ${ctx}: it reaches ${hit.api} (${where}) via ${via}. ` +
            `${capitalize(hit.why)}. Use ${hit.replacement} there, and make the callers async.`);
  return {
    file,
    line: call.line,
    column: call.column,
    endLine: call.endLine,
    endColumn: call.endColumn,
    rule: hit.rule,
    category: hit.category,
    severity,
    message,
    api: hit.api,
    why: hit.why,
    replacement: hit.replacement,
    chain: direct ? [] : steps,
  };
}

/** `render()`, or `reading this.config` for a getter (`setting this.x` for a setter). */
function callText(call: CallSite): string {
  if (call.access) return `${call.access === 'get' ? 'reading' : 'setting'} ${call.name}`;
  return `${call.name}()`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A small OTLP/HTTP receiver (JSON encoding, as the SDK's `-otlp-http` exporters send it) for
 * the fleet-export test: keeps every metrics and logs request, and reads values out of them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

interface DataPoint {
  attributes?: KeyValue[];
  asInt?: string | number;
  asDouble?: number;
}

interface MetricsRequest {
  resourceMetrics: Array<{
    scopeMetrics: Array<{
      metrics: Array<{
        name: string;
        sum?: { dataPoints: DataPoint[] };
        gauge?: { dataPoints: DataPoint[] };
      }>;
    }>;
  }>;
}

interface LogsRequest {
  resourceLogs: Array<{
    scopeLogs: Array<{ logRecords: Array<{ body?: AnyValue; attributes?: KeyValue[] }> }>;
  }>;
}

export interface OtlpReceiver {
  url: string;
  metrics: MetricsRequest[];
  logs: LogsRequest[];
  close(): Promise<void>;
}

export function attrs(kv: KeyValue[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { key, value } of kv ?? []) {
    out[key] = value.stringValue ?? Number(value.intValue ?? value.doubleValue);
  }
  return out;
}

/** The data points of metric `name` in the last request that has it, as [attributes, value]. */
export function lastPoints(
  r: OtlpReceiver,
  name: string,
): Array<[Record<string, string | number>, number]> {
  for (let i = r.metrics.length - 1; i >= 0; i--) {
    const found = r.metrics[i].resourceMetrics
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .filter((m) => m.name === name);
    if (found.length === 0) continue;
    return found.flatMap((m) =>
      (m.sum ?? m.gauge)!.dataPoints.map((p): [Record<string, string | number>, number] => [
        attrs(p.attributes),
        Number(p.asInt ?? p.asDouble),
      ]),
    );
  }
  return [];
}

/** Every log record received, with its attributes. */
export function logRecords(
  r: OtlpReceiver,
): Array<{ body: string; attributes: Record<string, string | number> }> {
  return r.logs.flatMap((req) =>
    req.resourceLogs.flatMap((rl) =>
      rl.scopeLogs.flatMap((sl) =>
        sl.logRecords.map((l) => ({
          body: l.body?.stringValue ?? '',
          attributes: attrs(l.attributes),
        })),
      ),
    ),
  );
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const r = { metrics: [], logs: [] } as unknown as OtlpReceiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (!String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const json = JSON.parse(body.toString('utf8')) as MetricsRequest & LogsRequest;
      if (req.url === '/v1/metrics') r.metrics.push(json);
      else if (req.url === '/v1/logs') r.logs.push(json);
      else return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return r;
}

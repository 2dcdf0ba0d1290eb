/** The recorder's monotonic clock, in µs (the one /proc samples, probes and stalls are timed on). */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Bench client, run in its own process so it does not share the server's event loop: connects,
 * subscribes, and for every update records receipt wall time (µs) minus the message's `ts`
 * (set to the injection wall time by the bench). Prints the latencies as JSON when told to stop.
 */
import WebSocket from 'ws';

const [url, topic, key] = process.argv.slice(2);
const lat: number[] = [];
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;
const ws = new WebSocket(url);
ws.on('open', () => {
  ws.send(JSON.stringify({ op: 'subscribe', topics: [topic], keys: [key] }));
  process.send?.({ ready: true });
});
ws.on('message', (d) => {
  const m = JSON.parse(d.toString()) as { type: string; ts: number };
  if (m.type === 'update') lat.push(nowMicros() - m.ts);
});
process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) {
    process.send?.({ latencies: lat }, () => process.exit(0));
  }
});

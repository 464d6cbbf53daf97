// The floor for `npm run bench`: the least a webhook receiver must do on node:http. Reads the body,
// checks X-Hub-Signature-256 (HMAC-SHA256, constant-time) and answers 200 JSON. Run as a child
// process: `node floor-server.js` with FLOOR_SECRET and PORT; prints "ready" once listening.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.FLOOR_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    const answer = JSON.stringify(ok ? { status: 'received' } : { message: 'Invalid webhook signature' });
    res.writeHead(ok ? 200 : 403, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(answer),
    });
    res.end(answer);
  });
});

server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

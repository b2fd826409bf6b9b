// The notification benchmarks' webhook sink, in a process of its own (as a gym's SMS/KakaoTalk
// relay would be): answers every POST /notify after DELAY ms, counts the 2xx answers and the
// distinct Idempotency-Keys; GET /stats reads them, POST /reset clears them. Prints its port on
// stdout once it listens.
//   node bench/sinkServer.mjs [delayMs]
import { createServer } from 'node:http';
import { setTimeout } from 'node:timers';

const delayMs = Number(process.argv[2] ?? 20);
let answered = 0;
const keys = new Set();

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ answered, distinct: keys.size }));
    } else if (req.url === '/reset') {
      answered = 0;
      keys.clear();
      res.writeHead(204).end();
    } else {
      setTimeout(() => {
        answered++;
        keys.add(String(req.headers['idempotency-key']));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }, delayMs);
    }
  });
});
server.keepAliveTimeout = 30_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));

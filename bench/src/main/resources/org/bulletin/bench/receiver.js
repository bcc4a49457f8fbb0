// A fast, independent webhook receiver for the benchmark: node receiver.js <servers>.
// Every server answers 200 at once to any POST and records, per request, when it arrived (its own
// clock), its port, path, webhook-id, the report id and the timestamp the body carries. wrk's
// requests get the same handling as the service's, so the wrk rate is this receiver's limit.
// A WebSub subscriber too: a GET carrying hub.challenge (verification of intent) is answered 200 with
// the challenge and counted, not recorded; a POST whose body is not JSON (a feed document) is recorded
// with the first report id the document names (its newest entry) and no timestamp.
// Control server: GET /records (tab-separated, then forgotten), GET /count, GET /sample (a body),
// GET /verified (verification GETs answered).
'use strict';
const http = require('http');
const servers = parseInt(process.argv[2] || '1', 10);
let records = [];
let sample = null;
let verified = 0;
const REPORT = /\/reports\/([A-Za-z0-9_-]+)/;

function handler(port) {
  return (req, res) => {
    if (req.method === 'GET') {
      const challenge = new URL(req.url, 'http://receiver').searchParams.get('hub.challenge');
      if (challenge !== null) {
        verified++;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(challenge === null ? '' : challenge);
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      let id = '';
      let time = NaN;
      try {
        const json = JSON.parse(body);
        id = (json.data && json.data.id) || '';
        time = Date.parse(json.timestamp);
      } catch (e) {
        // not a webhook body: a WebSub delivery names its newest report first
        const m = REPORT.exec(body);
        id = m === null ? '' : m[1];
      }
      records.push(port + '\t' + req.url + '\t' + (req.headers['webhook-id'] || '') + '\t' + id + '\t' + time + '\t' + at);
      if (sample === null && id !== '' && !Number.isNaN(time)) {
        sample = body;
      }
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
    });
  };
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

(async () => {
  const ports = [];
  for (let i = 0; i < servers; i++) {
    const server = http.createServer();
    server.keepAliveTimeout = 60000;
    const port = await listen(server);
    server.on('request', handler(port));
    ports.push(port);
  }
  const control = http.createServer((req, res) => {
    if (req.url === '/records') {
      const out = records.join('\n');
      records = [];
      res.end(out);
    } else if (req.url === '/count') {
      res.end(String(records.length));
    } else if (req.url === '/verified') {
      res.end(String(verified));
    } else if (req.url === '/sample') {
      res.end(sample === null ? '' : sample);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const controlPort = await listen(control);
  process.stdout.write(JSON.stringify({ control: controlPort, ports }) + '\n');
  process.stdin.on('end', () => process.exit(0)); // dies with the benchmark
  process.stdin.resume();
})();

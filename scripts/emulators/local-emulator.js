'use strict';
// kinesalite or dynalite on 127.0.0.1 for the LetsData tests, kept alive when a client dies mid-request.
//
// Usage: node local-emulator.js kinesalite|dynalite --port N [--path DIR] [--createStreamMs 0] [--createTableMs 0] ...
//        [--streamsPort M] (dynalite only: DynamoDB Streams on 127.0.0.1:M, see dynalite-streams.js)
// Every other --name value pair is passed to the package's server factory; numeric values as numbers.
// EMU_DDB_STREAM_SHARD_RECORDS=N closes a stream shard after N records and opens a child (default: never).
//
// Why not the packages' own CLIs: kinesalite's has no --host (it listens on every interface), and both packages'
// request handlers do `req.on('error', err => { throw err })`. When a client goes away before its request is answered
// (a worker killed by a crash test, a request cancelled by a client timeout), Node emits ECONNRESET "aborted" on the
// request, the handler rethrows it, and the whole emulator process exits: every later test then sees
// "connection refused". Here the handlers' error listener is replaced by one that logs the abort.
const EMULATORS = ['kinesalite', 'dynalite'];

const [name, ...argv] = process.argv.slice(2);
if (!EMULATORS.includes(name)) {
  console.error(`local-emulator: the first argument must be one of ${EMULATORS.join(', ')}, got '${name ?? ''}'`);
  process.exit(2);
}

const options = {};
for (let i = 0; i < argv.length; i += 2) {
  if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
    console.error(`local-emulator: expected --name value pairs, got '${argv[i]}'`);
    process.exit(2);
  }
  const value = argv[i + 1];
  options[argv[i].slice(2)] = /^[0-9]+$/.test(value) ? Number(value) : value;
}
if (!options.port) {
  console.error('local-emulator: --port is required');
  process.exit(2);
}

const streamsPort = options.streamsPort;
delete options.streamsPort;
if (streamsPort !== undefined && name !== 'dynalite') {
  console.error('local-emulator: --streamsPort is for dynalite only');
  process.exit(2);
}

const server = require(name)(options);
const handlers = server.listeners('request');
server.removeAllListeners('request');
const emulator = (req, res) => {
  for (const handler of handlers) handler.call(server, req, res);
  // The handlers attach their rethrowing listener synchronously, so it is in place now. A request that completes
  // normally has its listeners removed by the emulator; only an unanswered one can still emit this.
  req.removeAllListeners('error');
  req.on('error', (err) => console.error(`${name}: a client went away before its ${req.method} ${req.url} was answered (${err.message})`));
};
let streamsServer;
if (streamsPort === undefined) {
  server.on('request', emulator);
} else {
  const streams = require('./dynalite-streams')(emulator, {
    region: process.env.AWS_REGION || 'us-east-1',
    shardRecords: Number(process.env.EMU_DDB_STREAM_SHARD_RECORDS || 0),
  });
  server.on('request', streams.handleDynamoDB);
  streamsServer = streams.streamsServer;
  streamsServer.listen(streamsPort, '127.0.0.1', () => console.log(`dynamodb-streams listening on http://127.0.0.1:${streamsPort}`));
}

server.listen(options.port, '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`${name} listening on http://${address}:${port}`);
});
const shutdown = () => {
  setTimeout(() => process.exit(0), 2000); // open keep-alive connections must not hold the stop up
  if (streamsServer) streamsServer.close();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

'use strict';
// kinesalite bound to 127.0.0.1 (its CLI has no --host and listens on every interface).
// Usage: node kinesalite-local.js --port N [--createStreamMs 0] [--shardLimit 100] [--path DIR] ...
// Every option is passed to kinesalite; numeric values as numbers.
const kinesalite = require('kinesalite');

const options = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
    console.error(`kinesalite-local: expected --name value pairs, got '${argv[i]}'`);
    process.exit(2);
  }
  const value = argv[i + 1];
  options[argv[i].slice(2)] = /^[0-9]+$/.test(value) ? Number(value) : value;
}
if (!options.port) {
  console.error('kinesalite-local: --port is required');
  process.exit(2);
}

const server = kinesalite(options).listen(options.port, '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`kinesalite listening on http://${address}:${port}`);
});
const shutdown = () => {
  setTimeout(() => process.exit(0), 2000); // open keep-alive connections must not hold the stop up
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// Iterates every record of a WARC file (gzip or not: warcio detects it) with webrecorder's warcio, reading each
// record's payload as a parser must, and prints the record count. Run with the working directory where
// `npm ci` installed warcio (artifacts/warcio; CommonCrawlSetup does that).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "index.js"));
const { WARCParser } = await import(require.resolve("warcio"));

let records = 0;
const parser = new WARCParser(fs.createReadStream(process.argv[2]));
for await (const record of parser) {
  // The target URI of request records is what TargetUriExtractor produces; read it for every record to be fair.
  record.warcTargetURI;
  await record.readFully(false);
  records++;
}
console.log(records);

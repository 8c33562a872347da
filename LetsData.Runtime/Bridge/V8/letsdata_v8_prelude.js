// Run once in each task's V8 isolate before the project's modules (a classic script, not a module).
//
// V8 alone has no I/O at all; this adds only pure computation: TextEncoder/TextDecoder (UTF-8, as the WHATWG
// Encoding standard has them), a console that discards its output, and the dispatcher the worker calls. The worker
// hands records in through one ArrayBuffer it writes into, and takes each result back as a JSON string, shaped as the
// Node host's answers (so the Node bridge and V8 share the result path and the error messages).
(function (global) {
  'use strict';

  const REPLACEMENT = 0xfffd;

  function toBytes(input) {
    if (input === undefined) {
      return new Uint8Array(0);
    }
    if (input instanceof Uint8Array) {
      return input;
    }
    if (ArrayBuffer.isView(input)) {
      return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    }
    if (input instanceof ArrayBuffer) {
      return new Uint8Array(input);
    }
    throw new TypeError('TextDecoder.decode: the input is not an ArrayBuffer or a view of one');
  }

  // UTF-8 with the standard's replacement rule: an ill-formed sequence becomes one U+FFFD and the byte that broke it
  // is read again.
  function decodeUtf8(bytes, fatal, ignoreBOM) {
    const n = bytes.length;
    const units = [];
    let text = '';
    let i = !ignoreBOM && n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const invalid = () => {
      if (fatal) {
        throw new TypeError('The encoded data was not valid for encoding utf-8');
      }
      units.push(REPLACEMENT);
    };
    while (i < n) {
      if (units.length >= 8192) {
        text += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
      const b = bytes[i];
      if (b < 0x80) {
        units.push(b);
        i++;
        continue;
      }
      let need;
      let cp;
      let lower = 0x80;
      let upper = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        lower = b === 0xe0 ? 0xa0 : 0x80;
        upper = b === 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        lower = b === 0xf0 ? 0x90 : 0x80;
        upper = b === 0xf4 ? 0x8f : 0xbf;
      } else {
        invalid();
        i++;
        continue;
      }
      let j = i + 1;
      let ok = true;
      for (let k = 0; k < need; k++, j++) {
        const c = j < n ? bytes[j] : -1;
        if (c < lower || c > upper) {
          ok = false;
          break;
        }
        lower = 0x80;
        upper = 0xbf;
        cp = (cp << 6) | (c & 0x3f);
      }
      i = j;
      if (!ok) {
        invalid();
      } else if (cp > 0xffff) {
        cp -= 0x10000;
        units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        units.push(cp);
      }
    }
    return text + String.fromCharCode.apply(null, units);
  }

  class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
      const name = String(label).trim().toLowerCase();
      if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
        throw new RangeError(`TextDecoder: only utf-8 is available in V8 (not '${label}')`);
      }
      this.encoding = 'utf-8';
      this.fatal = Boolean(options.fatal);
      this.ignoreBOM = Boolean(options.ignoreBOM);
    }

    decode(input) {
      return decodeUtf8(toBytes(input), this.fatal, this.ignoreBOM);
    }
  }

  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }

    encode(input = '') {
      const text = String(input);
      const out = new Uint8Array(text.length * 3);
      let o = 0;
      for (let i = 0; i < text.length; i++) {
        let cp = text.charCodeAt(i);
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
            i++;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) {
          cp = REPLACEMENT;
        }
        if (cp < 0x80) {
          out[o++] = cp;
        } else if (cp < 0x800) {
          out[o++] = 0xc0 | (cp >> 6);
          out[o++] = 0x80 | (cp & 0x3f);
        } else if (cp < 0x10000) {
          out[o++] = 0xe0 | (cp >> 12);
          out[o++] = 0x80 | ((cp >> 6) & 0x3f);
          out[o++] = 0x80 | (cp & 0x3f);
        } else {
          out[o++] = 0xf0 | (cp >> 18);
          out[o++] = 0x80 | ((cp >> 12) & 0x3f);
          out[o++] = 0x80 | ((cp >> 6) & 0x3f);
          out[o++] = 0x80 | (cp & 0x3f);
        }
      }
      return out.slice(0, o);
    }
  }

  const quiet = () => {};
  const define = (name, value) => Object.defineProperty(global, name, { value, writable: true, configurable: true });
  define('TextDecoder', TextDecoder);
  define('TextEncoder', TextEncoder);
  define('console', Object.freeze({ log: quiet, info: quiet, debug: quiet, trace: quiet, warn: quiet, error: quiet }));

  // The project file and line an error came from (as the Node host finds them): the first stack frame in the project.
  function location(error, project) {
    const stack = String(error?.stack ?? '');
    for (const match of stack.matchAll(/(?:file:\/\/)?(\/[^\s:()]+):(\d+)/g)) {
      if (match[1].startsWith(project + '/')) {
        return [match[1], Number(match[2])];
      }
    }
    return [null, null];
  }

  function exception(error, project) {
    const [file, line] = location(error, project);
    const message = error?.message ?? String(error);
    return JSON.stringify({
      statusCode: 'EXCEPTION', errorMessage: message || error?.name || 'Error',
      exception: { errorType: error?.name ?? typeof error, file, line, stackTrace: String(error?.stack ?? '') },
    });
  }

  function answer(value) {
    return JSON.stringify({ statusCode: 'SUCCESS', data: value === undefined ? null : value });
  }

  // The dispatcher of one interface class: one instance for the task (so a reader may keep state between records).
  // The worker writes each record into `buffer`; the method gets its own copy, as LetsData gives a fresh array.
  define('__letsdataDispatcher', (type, project) => {
    let instance = null;
    const target = () => (instance ??= new type());
    const dispatcher = {
      buffer: new ArrayBuffer(64 * 1024),
      grow(size) {
        this.buffer = new ArrayBuffer(size);
        return this.buffer;
      },
      call(name, ...args) {
        try {
          const object = target();
          if (typeof object[name] !== 'function') {
            throw new TypeError(`${type.name} has no method ${name}`);
          }
          return answer(object[name](...args));
        } catch (error) {
          return exception(error, project);
        }
      },
      parseDocument(s3FileType, fileName, offsetBytes, length) {
        return this.parseAt(s3FileType, fileName, offsetBytes, 0, length);
      },
      // A batch: per record 12 bytes (offset as float64, length as int32, little-endian), then the records' bytes.
      // One crossing for many records; each record still gets its own result (or error).
      parseDocuments(s3FileType, fileName, count) {
        const view = new DataView(this.buffer);
        const results = new Array(count);
        let at = count * 12;
        for (let i = 0; i < count; i++) {
          const length = view.getInt32(i * 12 + 8, true);
          results[i] = this.parseAt(s3FileType, fileName, view.getFloat64(i * 12, true), at, length);
          at += length;
        }
        return '[' + results.join(',') + ']';
      },
      parseAt(s3FileType, fileName, offsetBytes, at, length) {
        try {
          const record = new Uint8Array(this.buffer, at, length).slice();
          return answer(target().parseDocument(s3FileType, fileName, offsetBytes, record, 0, length));
        } catch (error) {
          return exception(error, project);
        }
      },
    };
    return dispatcher;
  });
})(globalThis);

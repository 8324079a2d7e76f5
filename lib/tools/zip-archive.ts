import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, position);
  return buffer;
}

/**
 * Reads the named entries of a zip file (stored or deflated, no zip64), without
 * loading the rest: helm and kubectl are two files of a 37 MB layer.
 */
export function readZipEntries(path: string, names: readonly string[]): Map<string, Buffer> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 65_557);
    const tail = readAt(fd, size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd === -1) throw new Error(`${path} is not a zip file: no end-of-central-directory record`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directory = readAt(fd, tail.readUInt32LE(eocd + 16), tail.readUInt32LE(eocd + 12));
    const found = new Map<string, Buffer>();
    for (let i = 0, at = 0; i < entries; i++) {
      const method = directory.readUInt16LE(at + 10);
      const compressed = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localHeader = directory.readUInt32LE(at + 42);
      const name = directory.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      at += 46 + nameLength + extraLength + commentLength;
      if (!names.includes(name)) continue;
      const local = readAt(fd, localHeader, 30);
      const dataStart = localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const data = readAt(fd, dataStart, compressed);
      if (method !== 0 && method !== 8) throw new Error(`${path}: entry ${name} uses compression method ${method}; only stored and deflated are supported`);
      found.set(name, method === 8 ? inflateRawSync(data) : data);
    }
    return found;
  } finally {
    closeSync(fd);
  }
}

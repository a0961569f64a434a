// storage:filesystem against the storage contract, in a temp dir; several backend instances share the dir like processes do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createFilesystemBackend } from '../../plugins/storage/filesystem/index.js';
import { runStorageContract } from '../contracts/storage.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-fs-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStorageContract('filesystem', async () => createFilesystemBackend({ dir, pollMs: 50 }));

// Output schemas the memory tools share.
import { z } from 'zod';
import { memoryRecordSchema } from '../record.js';

export const singleMemoryOutput = z.object({
  memory: memoryRecordSchema.describe('The stored memory'),
});
